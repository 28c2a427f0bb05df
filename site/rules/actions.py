"""What a rule's actions do, one function per action block, run inside the transaction that
records the firing (rules.engine): database changes are made there, side effects leave by
django-q2 tasks queued after it commits. Each returns its outcome for the ledger, and
`preview` says what it would do, for the dry run.

Exactly once: the firing is unique per rule and event, so an action never runs twice for the
same rule and event. Messages are unique per notice, event and channel (alerts.OutboundMessage):
two rules sending one event on one channel share a message, and each recipient gets it once."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts import outbox
from alerts.channels import registry
from alerts.tasks import announce_major_feed
from core.feeds import announce
from core.tasks import enqueue
from notices.cache_tags import invalidate_notice
from notices.models import NoticeUpdate, OutageNoticePage
from rules.enums import Trigger
from rules.models import PageReview, RuleEvent, RuleFiring

# The message a trigger sends (alerts.enums.MessageEvent): a restoration by the clock reads as
# any other restoration.
COLUMN_FEEDS = ("catalogue_column_rss", "catalogue_column_atom")
MESSAGE_EVENTS = {
    Trigger.PUBLISHED: "published",
    Trigger.SCHEDULED: "published",
    Trigger.STARTED: "started",
    Trigger.EXTENDED: "extended",
    Trigger.RESTORED: "restored",
    Trigger.ENDED: "restored",
    Trigger.CANCELLED: "cancelled",
    Trigger.CAUSE_CHANGED: "cause",
    Trigger.INFO: "info",
}


def next_occurrence(moment: datetime, at: time) -> datetime:
    """The first `at` (Beijing time) at or after `moment`."""
    local = timezone.localtime(moment)
    day = local.date() if local.time() <= at else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, at), local.tzinfo)


def message_key(event: RuleEvent) -> str:
    """The key alerts dedupes messages by: the first publication is "published" however it
    went live, a timeline entry is "update-<id>", anything else the event's own key."""
    if event.trigger in (Trigger.PUBLISHED, Trigger.SCHEDULED):
        return "published"
    if event.update_id:
        return f"update-{event.update_id}"
    return event.key.split(":", 1)[1]


def _notice(event: RuleEvent) -> OutageNoticePage | None:
    if not event.facts.get("notice"):
        return None
    return OutageNoticePage.objects.filter(pk=event.page_id).first()


def _channels(value) -> list:
    chosen = set(value["channels"] or ())
    return [c for c in registry.enabled() if not chosen or c.name in chosen]


def send(value, event: RuleEvent, firing: RuleFiring) -> dict:
    notice = _notice(event)
    message_event = MESSAGE_EVENTS.get(event.trigger)
    if notice is None or message_event is None or not notice.live:
        return {"action": "send", "skipped": _("不是上线的停供通知或此事件无通知内容，未发送。")}
    not_before = (
        next_occurrence(event.occurred_at, value["hold_until"]) if value["hold_until"] else None
    )
    update = NoticeUpdate.objects.filter(pk=event.update_id).first() if event.update_id else None
    messages = outbox.queue(
        notice,
        message_event,
        message_key(event),
        update,
        channels=[channel.name for channel in _channels(value)],
        not_before=not_before,
        sent_by=firing.label,
        rule_revision_id=firing.revision_id,
    )
    return {
        "action": "send",
        "channels": [message.channel for message in messages],
        "messages": [message.pk for message in messages],
    }


def announce_feed(value, event: RuleEvent, firing: RuleFiring) -> dict:
    """The outage feeds for a notice; for another page, its column's feeds."""
    if event.facts.get("notice"):
        enqueue(announce_major_feed, task_name=f"feed-{event.page_id}-{message_key(event)}")
        return {"action": "announce_feed"}
    column = event.facts.get("column")
    if not column:
        return {"action": "announce_feed", "skipped": _("页面不在信息公开目录的栏目中。")}
    paths = [reverse(name, args=[column]) for name in COLUMN_FEEDS]
    enqueue(announce, paths, task_name=f"feed-{event.key}")
    return {"action": "announce_feed", "column": column}


def email_group(value, event: RuleEvent, firing: RuleFiring, position: int) -> dict:
    from rules.tasks import email_group as task

    group = int(value["group"])
    enqueue(task, firing.pk, position, group, task_name=f"rule-email-{firing.pk}-{position}")
    return {"action": "email_group", "group": group}


def notify_moderators(value, event: RuleEvent, firing: RuleFiring, position: int) -> dict:
    from rules.tasks import email_moderators as task

    enqueue(task, firing.pk, position, task_name=f"rule-email-{firing.pk}-{position}")
    return {"action": "notify_moderators"}


def set_major(value, event: RuleEvent, firing: RuleFiring) -> dict:
    notice = _notice(event)
    if notice is None:
        return {"action": "set_major", "skipped": _("不是停供通知。")}
    notice.major_override = value["major"] == "set"
    notice.refresh_lifecycle_derivations()
    OutageNoticePage.objects.filter(pk=notice.pk).update(
        major_override=notice.major_override, is_major=notice.is_major
    )
    invalidate_notice(notice.pk)
    return {"action": "set_major", "major": notice.is_major}


def review_date(value, event: RuleEvent, firing: RuleFiring) -> dict:
    due_on = timezone.localdate(event.occurred_at) + timedelta(days=value["days"])
    reason = _("规则《%(rule)s》：%(event)s") % {"rule": firing.rule.name, "event": event}
    PageReview.objects.update_or_create(
        page_id=event.page_id,
        done_at=None,
        defaults={"due_on": due_on, "reason": reason[:200], "firing": firing, "reminded_on": None},
    )
    return {"action": "review_date", "due_on": due_on.isoformat()}


# block name → (function, whether it takes the action's position)
ACTIONS = {
    "send": (send, False),
    "announce_feed": (announce_feed, False),
    "email_group": (email_group, True),
    "notify_moderators": (notify_moderators, True),
    "set_major": (set_major, False),
    "review_date": (review_date, False),
}


def run(block, event: RuleEvent, firing: RuleFiring, position: int) -> dict:
    function, positional = ACTIONS[block.block_type]
    if positional:
        return function(block.value, event, firing, position)
    return function(block.value, event, firing)


def preview(block, event: RuleEvent) -> dict:
    """What the action would do for the event, without doing it: for a send, the channels and
    how many recipients each would reach today."""
    if block.block_type != "send":
        return {"action": block.block_type}
    notice = _notice(event)
    if notice is None or MESSAGE_EVENTS.get(event.trigger) is None:
        return {"action": "send", "channels": {}}
    return {
        "action": "send",
        "channels": {
            channel.name: channel().audience(notice).count() for channel in _channels(block.value)
        },
    }
