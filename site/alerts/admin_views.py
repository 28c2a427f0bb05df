"""Per notice: the SMS messages, their delivery counts (every hand-over to the provider
counted, numbers texted twice flagged) and a retry of the failed numbers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import dispatch
from alerts.messages import preview
from alerts.models import OutboundMessage
from alerts.tasks import send_message
from core.tasks import enqueue
from notices.models import OutageNoticePage

PERMISSION = "alerts.view_delivery"


def notice_deliveries(request, notice_id: int):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    notice = get_object_or_404(OutageNoticePage, pk=notice_id)
    rows = []
    for message in notice.sms_messages.order_by("created_at"):
        counts = dispatch.report(message)
        total = counts["recipients"]
        done = counts["sent"] + counts["failed"] + counts["gave_up"]
        rows.append(
            {
                "message": message,
                "counts": counts,
                "total": total,
                "progress": round(100 * done / total) if total else 0,
                "retryable": counts["failed"] + counts["gave_up"],
                # More hand-overs than numbers: retries, and recoveries after a crash.
                "resent": counts["handovers"] > total,
            }
        )
    return TemplateResponse(
        request,
        "alerts/admin/notice_deliveries.html",
        {
            "notice": notice,
            "rows": rows,
            "preview": preview(notice),
            "running": any(r["progress"] < 100 and r["total"] for r in rows),
        },
    )


@require_POST
def retry_failed(request, message_id: int):
    if not request.user.has_perm("alerts.change_delivery"):
        raise PermissionDenied
    message = get_object_or_404(OutboundMessage, pk=message_id)
    count = dispatch.retry_failed(message)
    if count:
        enqueue(send_message, message.pk, task_name=f"sms-retry-{message.pk}")
    messages.success(request, _("已重新发送%(count)d个号码。") % {"count": count})
    return redirect("alerts_notice_deliveries", notice_id=message.notice_id)
