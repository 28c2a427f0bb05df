"""Rules test helpers: rules built and published as staff would, events as they happen."""

import itertools
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from rules.models import ContentRule, RuleEvent

_numbers = itertools.count(1)


def block(kind: str, value=None) -> dict:
    return {"type": kind, "value": value}


def make_rule(triggers, conditions=(), actions=(), *, live=True, **fields) -> ContentRule:
    """A rule published through its revision, as the admin's 发布 does."""
    rule = ContentRule(
        name=fields.pop("name", f"测试规则{next(_numbers)}"),
        triggers=list(triggers),
        conditions=list(conditions),
        actions=list(actions),
        priority=fields.pop("priority", 50),
        live=False,
        **fields,
    )
    rule.save()
    revision = rule.save_revision()
    if live:
        revision.publish()
        rule.refresh_from_db()
    return rule


def switch_off_seeded_rules() -> None:
    ContentRule.objects.filter(name__startswith="重大停供").update(live=False)


def events_of(page) -> list[str]:
    return list(
        RuleEvent.objects.filter(page_id=page.pk).order_by("pk").values_list("trigger", flat=True)
    )


def go_live_by_schedule(page, capture) -> None:
    """The scheduled revision's time arrives and Wagtail's scheduler publishes it."""
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.objects.filter(object_id=str(page.pk)).exclude(
        approved_go_live_at=None
    ):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
    with capture(execute=True):
        call_command("publish_scheduled")
