"""Running the live rules on an event, each at most once.

`fire(event)` is called once the change that made the event has committed (rules.events). Each
live rule whose triggers and conditions match gets a `RuleFiring`, unique per rule and event,
created in the same transaction as its actions' database work: a signal delivered twice, a task
run twice, or a rule published again after it handled the event, finds the firing and does
nothing. The version that fires is the one live now: an edit applies to events after it is
published, never to those before."""

import logging

from django.db import IntegrityError, transaction

from rules import actions
from rules.enums import FiringStatus
from rules.models import ContentRule, RuleEvent, RuleFiring

logger = logging.getLogger(__name__)


def matches(rule: ContentRule, event: RuleEvent) -> bool:
    if event.trigger not in rule.triggers:
        return False
    return all(block.block.matches(block.value, event.facts) for block in rule.conditions)


def live_rules() -> list[ContentRule]:
    return list(ContentRule.objects.filter(live=True).order_by("priority", "pk"))


def fire(event: RuleEvent) -> list[RuleFiring]:
    """The firings this call made (none for rules that had already handled the event)."""
    made = []
    for rule in live_rules():
        if not matches(rule, event):
            continue
        try:
            with transaction.atomic():
                firing, created = RuleFiring.objects.get_or_create(
                    rule=rule, event=event, defaults={"revision_id": rule.live_revision_id}
                )
                if not created:
                    continue
                firing.rule = rule
                firing.outcomes = [
                    actions.run(block, event, firing, position)
                    for position, block in enumerate(rule.actions)
                ]
                firing.save(update_fields=["outcomes"])
        except IntegrityError:
            continue  # another process fired it at the same moment
        except Exception as error:
            # Recorded as failed, for staff to see; never retried: a rule acts at most once.
            logger.exception("rule %s failed on event %s", rule.pk, event.key)
            RuleFiring.objects.get_or_create(
                rule=rule,
                event=event,
                defaults={
                    "revision_id": rule.live_revision_id,
                    "status": FiringStatus.FAILED,
                    "outcomes": [{"error": type(error).__name__}],
                },
            )
            continue
        made.append(firing)
        logger.info("rule %s fired on event %s", rule.pk, event.key)
    return made
