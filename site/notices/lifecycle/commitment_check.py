"""承诺检查: a planned outage must be announced 48 hours ahead (the published commitment with key
`planned-outage-notice`); the editor is warned when a notice would go out later than that."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.lookup import published_commitment
from notices.enums import OutageKind
from notices.models import OutageNoticePage

COMMITMENT_KEY = "planned-outage-notice"
DEFAULT_LEAD = timedelta(hours=48)


def announcement_time(notice: OutageNoticePage, now: datetime) -> datetime:
    """When residents see (or saw) the notice: its real go-live, its scheduled go-live, or now."""
    if notice.went_live_at:
        return notice.went_live_at
    if notice.go_live_at and notice.go_live_at > now:
        return notice.go_live_at
    return now


def late_notice_warning(notice: OutageNoticePage, now: datetime | None = None) -> str | None:
    if notice.kind != OutageKind.PLANNED or not notice.starts_at:
        return None
    now = now or timezone.now()
    commitment = published_commitment(COMMITMENT_KEY)
    required = (commitment.duration if commitment else None) or DEFAULT_LEAD
    lead = notice.starts_at - announcement_time(notice, now)
    if lead >= required:
        return None
    hours = max(lead.total_seconds(), 0) / 3600
    source = (
        f"《{commitment.page.title}》“{commitment.requirement}”"
        if commitment
        else _("计划停供提前48小时告知")
    )
    return _(
        "承诺提醒：这是计划停供，发布时距开始仅%(hours).1f小时，少于承诺的%(required)d小时。依据：%(source)s"
        "请尽快发布，并考虑通过短信、电话等方式补充告知。"
    ) % {"hours": hours, "required": required.total_seconds() // 3600, "source": source}
