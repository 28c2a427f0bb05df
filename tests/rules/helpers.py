"""Rules test helpers: rules built and published as staff would, events as they happen."""

import itertools

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
