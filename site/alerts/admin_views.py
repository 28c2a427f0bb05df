"""Per notice: every channel's messages side by side, their delivery counts (every hand-over
to a provider counted, recipients reached twice flagged), a retry of the failed recipients, and
a preview of what each channel will send, rendered from the latest revision: the draft that 审核
is about to approve."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import dispatch
from alerts.channels import registry
from alerts.models import OutboundMessage
from alerts.tasks import send_message
from core.tasks import enqueue
from notices.models import OutageNoticePage

PERMISSION = "alerts.view_delivery"


def delivery_row(message: OutboundMessage) -> dict:
    counts = dispatch.report(message)
    total = counts["recipients"]
    done = total - counts["pending"] - counts["sending"]
    return {
        "message": message,
        "counts": counts,
        "total": total,
        "progress": round(100 * done / total) if total else 100,
        "retryable": counts["failed"] + counts["gave_up"],
        # More hand-overs than recipients: retries, and recoveries after a crash.
        "resent": counts["handovers"] > total,
    }


def events(notice: OutageNoticePage, channels) -> list[dict]:
    """One entry per notice event, with a row per channel in the admin's channel order."""
    order = {channel.name: index for index, channel in enumerate(channels)}
    grouped: dict[str, dict] = {}
    for message in notice.outbound_messages.order_by("created_at", "pk"):
        event = grouped.setdefault(
            message.event_key,
            {"label": message.get_event_display(), "not_before": message.not_before, "rows": []},
        )
        row = delivery_row(message)
        row["channel"] = registry.get(message.channel).label
        event["rows"].append((order.get(message.channel, len(order)), row))
    for event in grouped.values():
        event["rows"] = [row for _, row in sorted(event["rows"], key=lambda item: item[0])]
    return list(grouped.values())


def previews(notice: OutageNoticePage, channels) -> list[dict]:
    draft = notice.get_latest_revision_as_object()
    return [
        {"label": channel.label, "enabled": channel.is_enabled(), **channel().preview(draft)}
        for channel in channels
    ]


def notice_deliveries(request, notice_id: int):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    notice = get_object_or_404(OutageNoticePage, pk=notice_id)
    channels = registry.registered()
    listed = events(notice, channels)
    return TemplateResponse(
        request,
        "alerts/admin/notice_deliveries.html",
        {
            "notice": notice,
            "events": listed,
            "previews": previews(notice, channels),
            "running": any(row["progress"] < 100 for event in listed for row in event["rows"]),
        },
    )


@require_POST
def retry_failed(request, message_id: int):
    if not request.user.has_perm("alerts.change_delivery"):
        raise PermissionDenied
    message = get_object_or_404(OutboundMessage, pk=message_id)
    count = dispatch.retry_failed(message)
    if count:
        enqueue(send_message, message.pk, task_name=f"retry-{message.pk}")
    messages.success(request, _("已重新发送%(count)d个收件人。") % {"count": count})
    return redirect("alerts_notice_deliveries", notice_id=message.notice_id)
