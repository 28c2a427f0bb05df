"""Writing the messages of a notice event, one per channel, and queueing their sending. Which
events go out, on which channels and when is decided by content rules (rules.actions.send)."""

from django.utils import timezone

from alerts.channels import registry
from alerts.models import OutboundMessage
from alerts.tasks import send_message
from core.tasks import enqueue
from notices.models import NoticeUpdate, OutageNoticePage


def queue(
    notice: OutageNoticePage,
    event: str,
    key: str,
    update: NoticeUpdate | None = None,
    *,
    channels: list[str] | None = None,
    not_before=None,
    sent_by: str = "",
    rule_revision_id: int | None = None,
) -> list[OutboundMessage]:
    """One message per event and enabled channel among `channels` (all when None), each
    rendered by its channel from the notice; the unique (notice, key, channel) makes a second
    call, or a second rule sending the same event, harmless: the first one's message stands.
    Sent now, or by the minute schedule from `not_before`. The messages, in channel order."""
    now = timezone.now()
    messages = []
    for channel in registry.enabled():
        if channels is not None and channel.name not in channels:
            continue
        content = channel().render(notice, event, update)
        message, _created = OutboundMessage.objects.get_or_create(
            notice=notice,
            event_key=key,
            channel=channel.name,
            defaults={
                "event": event,
                "text": content.text,
                "template_code": content.template_code,
                "params": content.params,
                "link": content.link,
                "not_before": not_before or now,
                "sent_by": sent_by,
                "rule_revision_id": rule_revision_id,
            },
        )
        if message.not_before <= now:
            enqueue(send_message, message.pk, task_name=f"{channel.name}-{message.pk}")
        messages.append(message)
    return messages
