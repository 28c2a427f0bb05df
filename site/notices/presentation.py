"""Plain-text wording of a notice shared by the machine channels (feeds, JSON), so that every
channel says the same thing the page says."""

from django.utils.translation import gettext as _

from core.formatting import format_time_range
from notices.models import OutageNoticePage


def time_range(notice: OutageNoticePage) -> str:
    return format_time_range(
        notice.starts_at, notice.current_ends_at, estimated=notice.end_shown_as_estimate
    )


def summary(notice: OutageNoticePage) -> str:
    """One paragraph: what, when, where, why, whom to call, and the latest news."""
    parts = [
        f"{notice.headline}（{notice.state_label}）",
        _("时间：%s") % time_range(notice),
    ]
    if notice.boundary_display:
        parts.append(_("范围：%s") % notice.boundary_display)
    names = [community.name for community in notice.communities.all()]
    if names:
        parts.append(_("影响小区：%s") % "、".join(names))
    if notice.households:
        parts.append(_("影响%d户") % notice.households)
    parts.append(_("原因：%s") % notice.cause)
    updates = list(notice.updates.all())
    if updates and updates[-1].text:
        parts.append(_("最新进展：%s") % updates[-1].text)
    if notice.phone:
        parts.append(_("咨询电话：%s") % notice.phone)
    return "；".join(part.rstrip("。；;. ") for part in parts) + "。"
