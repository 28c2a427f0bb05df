"""The SMS text of a notice event, rendered from the notice itself (the same record the page and
the feeds render)."""

from django.conf import settings
from django.utils.translation import gettext as _

from alerts.enums import MessageEvent
from core.formatting import format_moment
from notices.models import NoticeUpdate, OutageNoticePage
from notices.presentation import time_range
from notices.utilities import profile
from sms import SmsContent

PLACE_MAX = 30


def place(notice: OutageNoticePage) -> str:
    """Where, short enough for a text: the facility or area, else the first communities."""
    text = notice.area_name or "、".join(c.name for c in list(notice.communities.all())[:3])
    text = text or notice.district
    return text if len(text) <= PLACE_MAX else text[: PLACE_MAX - 1] + "…"


def action(notice: OutageNoticePage, event: str, update: NoticeUpdate | None) -> str:
    match event:
        case MessageEvent.EXTENDED:
            return _("结束时间延长至%s。") % format_moment(update.new_ends_at)
        case MessageEvent.RESTORED:
            return _("已恢复。")
        case MessageEvent.CANCELLED:
            return _("本次停供已取消。")
        case MessageEvent.STARTED:
            return _("现已开始。") + str(profile(notice.utility).sms_advice)
        case MessageEvent.CAUSE:
            return _("原因更正为：%s。") % notice.cause
        case MessageEvent.INFO if update is not None and update.text:
            return (
                update.text if len(update.text) <= PLACE_MAX else update.text[: PLACE_MAX - 1] + "…"
            )
    return str(profile(notice.utility).sms_advice)


def heading(notice: OutageNoticePage, event: str) -> str:
    """“停水通知”, or for an update “停水通知（延长）”: the title of a group post or a press
    e-mail (the SMS template says it in its own words)."""
    title = _("%(utility)s通知") % {"utility": notice.utility_label}
    if event == MessageEvent.PUBLISHED:
        return title
    return f"{title}（{MessageEvent(event).label}）"


def hotline(notice: OutageNoticePage) -> str:
    return notice.phone or getattr(settings, "SMS_HOTLINE", "")


def render(notice: OutageNoticePage, event: str, update: NoticeUpdate | None = None) -> SmsContent:
    """The provider template's parameters and the full text residents will read."""
    params = {
        "utility": notice.utility_label,
        "place": place(notice),
        "time": time_range(notice),
        "action": action(notice, event, update),
        "phone": hotline(notice),
    }
    body = settings.SMS_TEMPLATE_TEXT
    for name, value in params.items():
        body = body.replace("${" + name + "}", value)
    return SmsContent(
        template_code=settings.SMS_TEMPLATE_CODE,
        params=params,
        text=f"【{settings.SMS_SIGN_NAME}】{body}",
    )
