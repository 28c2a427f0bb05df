"""The site's behaviour before content rules, as rules staff can read and change (README: "内容规则"):
an outage expected to last 8 hours or more, or with no known end, goes out on every channel
when it is published or goes live by schedule and at each extension, restoration and
cancellation; emergencies at once, planned outages held from 22:00 to 07:00. And the
permissions: 审核 edit and publish rules, 编辑 read them."""

import uuid

from django.db import migrations

from core.group_permissions import grant_to_group

TRIGGERS = ["published", "scheduled", "extended", "restored", "ended", "cancelled"]


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _rule(name, description, priority, kind, window=None, hold_until=None) -> dict:
    conditions = [
        _block("duration", {"min_hours": 8, "include_unknown": True}),
        _block("kind", {"kinds": [kind]}),
    ]
    if window:
        conditions.append(_block("time_of_day", {"start": window[0], "end": window[1]}))
    return {
        "name": name,
        "description": description,
        "priority": priority,
        "triggers": TRIGGERS,
        "conditions": conditions,
        "actions": [
            _block("send", {"channels": [], "hold_until": hold_until}),
            _block("announce_feed", None),
        ],
    }


RULES = [
    _rule(
        "重大停供：抢修停即时发送",
        "预计停热八小时以上的，及时通过短信等媒介告知用户（服务标准）。抢修停不分昼夜立即发送。",
        10,
        "emergency",
    ),
    _rule(
        "重大停供：计划停白天发送",
        "计划停在07:00至22:00之间发布或更新的，立即发送到全部渠道。",
        20,
        "planned",
        window=("07:00:00", "22:00:00"),
    ),
    _rule(
        "重大停供：计划停夜间暂缓",
        "计划停在22:00至次日07:00之间发布或更新的，不打扰居民休息，延至07:00发送。",
        30,
        "planned",
        window=("22:00:00", "07:00:00"),
        hold_until="07:00:00",
    ),
]


def snippet_permissions(apps, schema_editor):
    """Wagtail adds publish, lock and unlock for a snippet with drafts and locking after the
    last migration (wagtail.snippets.models.create_extra_permissions): too late for the grant."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="rules", model="contentrule")
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_contentrule",
            defaults={"name": f"Can {action} 内容规则"},
        )


def seed(apps, schema_editor):
    ContentRule = apps.get_model("rules", "ContentRule")
    for fields in RULES:
        if not ContentRule.objects.filter(name=fields["name"]).exists():
            ContentRule.objects.create(live=True, **fields)


def unseed(apps, schema_editor):
    names = [fields["name"] for fields in RULES]
    apps.get_model("rules", "ContentRule").objects.filter(name__in=names).delete()


EDIT = [
    "add_contentrule",
    "change_contentrule",
    "delete_contentrule",
    "publish_contentrule",
    "lock_contentrule",
    "unlock_contentrule",
    "view_contentrule",
]


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(snippet_permissions, migrations.RunPython.noop),
        grant_to_group("审核", "rules", EDIT),
        grant_to_group("编辑", "rules", ["view_contentrule"]),
    ]
