"""What a rule would have done over the last 30 days: each event it matches, what each action
would do (for a send, the channels and how many recipients each would reach today), and, for
a rule that exists, the difference from what it really sent. Nothing is written or sent.

The events are judged by the facts kept with them (rules.facts), as the rule was when it ran."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from alerts.models import Delivery
from rules import actions, engine
from rules.models import ContentRule, RuleEvent, RuleFiring

DAYS = 30


@dataclass
class Row:
    event: RuleEvent
    previews: list[dict]


@dataclass
class Simulation:
    since: object
    rows: list[Row]
    events: dict[int, RuleEvent] = field(default_factory=dict)
    # (event id, channel) → recipients: what the rule would send, and what it did send.
    predicted: dict = field(default_factory=dict)
    actual: dict = field(default_factory=dict)

    def _listed(self, pairs, counts) -> list[tuple[RuleEvent, str, int]]:
        return [
            (self.events[event], channel, counts[(event, channel)])
            for event, channel in sorted(pairs)
        ]

    @property
    def added(self) -> list[tuple[RuleEvent, str, int]]:
        """Sends the rule would make that did not happen: (event, channel, recipients)."""
        return self._listed(self.predicted.keys() - self.actual.keys(), self.predicted)

    @property
    def removed(self) -> list[tuple[RuleEvent, str, int]]:
        """Sends that happened and the rule would no longer make."""
        return self._listed(self.actual.keys() - self.predicted.keys(), self.actual)


def simulate(rule: ContentRule, now=None) -> Simulation:
    now = now or timezone.now()
    since = now - timedelta(days=DAYS)
    events = list(
        RuleEvent.objects.filter(occurred_at__gte=since, occurred_at__lte=now).order_by(
            "occurred_at", "pk"
        )
    )
    rows = [
        Row(event, [actions.preview(block, event) for block in rule.actions])
        for event in events
        if engine.matches(rule, event)
    ]
    result = Simulation(since=since, rows=rows, events={event.pk: event for event in events})
    for row in rows:
        for preview in row.previews:
            for channel, recipients in preview.get("channels", {}).items():
                result.predicted[(row.event.pk, channel)] = recipients
    if rule.pk:
        result.actual = sent(rule, [event.pk for event in events])
    return result


def sent(rule: ContentRule, event_ids: list[int]) -> dict:
    """(event id, channel) → recipients of the messages the rule's firings wrote or joined."""
    pairs = {}
    for firing in RuleFiring.objects.filter(rule=rule, event_id__in=event_ids):
        for outcome in firing.outcomes:
            if outcome.get("action") == "send":
                for channel, message in zip(
                    outcome.get("channels", []), outcome.get("messages", []), strict=True
                ):
                    pairs[(firing.event_id, channel)] = message
    counts = dict(
        Delivery.objects.filter(message_id__in=pairs.values())
        .values_list("message_id")
        .annotate(n=Count("pk"))
        .values_list("message_id", "n")
    )
    return {pair: counts.get(message, 0) for pair, message in pairs.items()}
