"""django-q2 tasks of the alerts app. Every one is idempotent: django-q2 redelivers a task
whose worker died and may run a task twice."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task

from alerts import dispatch
from alerts.enums import MessageStatus, SubscriberStatus
from alerts.followers import bindings
from alerts.models import OutboundMessage, Subscriber
from core.feeds import announce

MAJOR_FEEDS = ("major_feed_rss", "major_feed_atom", "notice_feed_rss", "notice_feed_atom")


def send_message(message_id: int) -> dict:
    """Sends what is due; a fan-out longer than one task's budget goes on in a new task."""
    result = dispatch.send_message(message_id)
    if result["unfinished"]:
        async_task(send_message, message_id, task_name=f"send-{message_id}")
    return result


def dispatch_due() -> int:
    """Every minute: start what quiet hours held back, retry what is due, recover what a dead
    worker left. Sending the same message from two workers is safe (claims)."""
    now = timezone.now()
    due = OutboundMessage.objects.filter(not_before__lte=now).exclude(
        Q(status=MessageStatus.DONE) & ~Q(deliveries__status="pending")
    )
    ids = list(due.values_list("pk", flat=True).distinct())
    for message_id in ids:
        async_task(send_message, message_id, task_name=f"send-{message_id}")
    return len(ids)


def announce_major_feed() -> None:
    """The outage feeds, after a major notice's event (core.feeds.announce)."""
    announce([reverse(name) for name in MAJOR_FEEDS])


def purge_unsubscribed() -> dict:
    """Retention: numbers of people who left are deleted after SMS_RETENTION_DAYS, unconfirmed
    sign-ups after a day, the openids of 公众号 followers who left after WECHAT_RETENTION_DAYS."""
    now = timezone.now()
    left = Subscriber.objects.filter(
        status=SubscriberStatus.UNSUBSCRIBED,
        unsubscribed_at__lt=now - timedelta(days=settings.SMS_RETENTION_DAYS),
    ).delete()[0]
    unconfirmed = Subscriber.objects.filter(
        status=SubscriberStatus.PENDING, created_at__lt=now - timedelta(days=1)
    ).delete()[0]
    return {"unsubscribed": left, "unconfirmed": unconfirmed, "followers": bindings.purge_left()}
