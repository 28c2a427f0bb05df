"""alerts listens to what notices announce (notices never imports alerts)."""

from django.utils import timezone

from alerts.channels import registry
from alerts.enums import MessageEvent
from alerts.messages import earliest_send_time
from alerts.models import OutboundMessage
from alerts.tasks import announce_major_feed, send_message
from core.tasks import enqueue
from notices.enums import UpdateKind
from notices.lifecycle.signals import notice_published, notice_updated
from notices.models import NoticeUpdate, OutageNoticePage

EVENTS = {
    UpdateKind.EXTENDED: MessageEvent.EXTENDED,
    UpdateKind.RESTORED: MessageEvent.RESTORED,
    UpdateKind.CANCELLED: MessageEvent.CANCELLED,
}


def on_notice_published(sender, notice_id, first_time, **kwargs):
    """A major notice that really went live for the first time. Re-publishing an edit is not a
    new message: residents hear about changes through the timeline (extended, restored...)."""
    if not first_time:
        return
    notice = OutageNoticePage.objects.get(pk=notice_id)
    if notice.live and notice.is_major:
        queue(notice, MessageEvent.PUBLISHED, "published")


def on_notice_updated(sender, notice_id, update_id, was_major, **kwargs):
    """Extended, restored or cancelled, for a notice that is major or was: an extension that
    makes a notice major is texted too."""
    update = NoticeUpdate.objects.select_related("notice").get(pk=update_id)
    event = EVENTS.get(update.kind)
    if event and update.notice.live and (was_major or update.notice.is_major):
        queue(update.notice, event, f"update-{update.pk}", update)


def queue(notice: OutageNoticePage, event: str, key: str, update: NoticeUpdate | None = None):
    """One message per notice event and enabled channel (the unique key makes a repeated signal
    harmless), each rendered by its channel from the notice; sent now, or by the minute schedule
    once quiet hours are over. The messages, in channel order."""
    now = timezone.now()
    not_before = earliest_send_time(notice, now)
    messages, created_any = [], False
    for channel in registry.enabled():
        content = channel().render(notice, event, update)
        message, created = OutboundMessage.objects.get_or_create(
            notice=notice,
            event_key=key,
            channel=channel.name,
            defaults={
                "event": event,
                "text": content.text,
                "template_code": content.template_code,
                "params": content.params,
                "link": content.link,
                "not_before": not_before,
            },
        )
        created_any |= created
        if message.not_before <= now:
            enqueue(send_message, message.pk, task_name=f"{channel.name}-{message.pk}")
        messages.append(message)
    if created_any:
        enqueue(announce_major_feed, task_name=f"feed-{notice.pk}-{key}")
    return messages


def register_signal_handlers() -> None:
    notice_published.connect(on_notice_published, dispatch_uid="alerts-notice-published")
    notice_updated.connect(on_notice_updated, dispatch_uid="alerts-notice-updated")
