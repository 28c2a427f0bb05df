"""What the service desk tells people: the resident's texts (receipt, closing) and the staff's
e-mails (reminders, escalations, return calls).

Texts name the request by its reference and link to its tracking page, which shows no more
than a masked number. E-mails carry no phone number, address or description either: mail
passes through servers we do not run, so staff follow the admin link and read the request
there, signed in."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core.addresses import absolute_url
from core.addresses import admin_url as admin_address
from core.formatting import format_moment
from servicedesk.deadlines import RETURN_VISIT_WINDOWS, RETURN_VISIT_WITHIN
from servicedesk.enums import AlertKind, ResidentMessageKind
from servicedesk.models import ServiceRequest
from sms import SmsContent


def tracking_url(request: ServiceRequest) -> str:
    """The resident's tracking page, where they also rate the service once it is closed."""
    return absolute_url(reverse("servicedesk_track", args=[request.tracking_token]))


def admin_url(request: ServiceRequest) -> str:
    return admin_address(reverse("servicedesk_admin_detail", args=[request.pk]))


# Resident texts -----------------------------------------------------------------------------
# Each kind of text is one template approved by the provider (Aliyun needs one per wording), so
# these are the templates' exact words, not translations: the ${...} parameters are filled in
# here, and `text` is what the resident reads. Two SMS parts with the tracking link.

RECEIVED_TEMPLATE = "您的${kind}已受理，编号${reference}，${station}${contact}联系您。查询：${link}"
CLOSED_TEMPLATE = "您的${kind}（编号${reference}）已办结，欢迎评价我们的服务：${link}"


def _fill(template: str, params: dict[str, str]) -> str:
    body = template
    for name, value in params.items():
        body = body.replace("${" + name + "}", value)
    return f"【{settings.SMS_SIGN_NAME}】{body}"


def resident_text(request: ServiceRequest, kind: str) -> SmsContent:
    """The text of `kind` (ResidentMessageKind) about `request`."""
    params = {
        "kind": request.get_kind_display(),
        "reference": request.reference,
        "link": tracking_url(request),
    }
    if kind == ResidentMessageKind.RECEIVED:
        params["station"] = request.station.name
        params["contact"] = (
            _("将于%s前") % format_moment(request.contact_due_at)
            if request.contact_due_at
            else _("将尽快")
        )
        template, code = RECEIVED_TEMPLATE, settings.SMS_SERVICE_RECEIVED_TEMPLATE_CODE
    elif kind == ResidentMessageKind.CLOSED:
        template, code = CLOSED_TEMPLATE, settings.SMS_SERVICE_CLOSED_TEMPLATE_CODE
    else:
        raise ValueError(f"unknown resident message kind {kind!r}")
    return SmsContent(template_code=code, params=params, text=_fill(template, params))


# Staff e-mails ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def _owner_name(request: ServiceRequest) -> str:
    owner = request.owner
    if owner is None:
        return _("尚未受理")
    return owner.get_full_name() or owner.get_username()


def _when(moment) -> str:
    return format_moment(moment) if moment else _("未设定")


def _calling_hours() -> str:
    return "、".join(f"{opens:%H:%M}—{closes:%H:%M}" for opens, closes in RETURN_VISIT_WINDOWS)


def staff_email(request: ServiceRequest, kind: str) -> Email:
    """The e-mail for a StaffAlert of `kind` (AlertKind): what is due, by when, and the link."""
    facts = {
        "reference": request.reference,
        "kind": request.get_kind_display(),
        "station": request.station.name,
        "owner": _owner_name(request),
        "contact_due": _when(request.contact_due_at),
        "resolve_due": _when(request.resolve_due_at),
        "contact_limit": request.contact_limit or _("未设定"),
        "resolve_limit": request.resolve_limit or _("未设定"),
    }
    match kind:
        case AlertKind.CONTACT_REMINDER:
            subject = _("【时限提醒】诉求%(reference)s须于%(contact_due)s前联系用户")
            lead = _(
                "服务诉求%(reference)s（%(kind)s，%(station)s，首问负责人：%(owner)s）尚未联系用户，"
                "联系时限为%(contact_due)s（依据：%(contact_limit)s）。请在时限前联系用户，并在后台记录。"
            )
        case AlertKind.RESOLVE_REMINDER:
            subject = _("【时限提醒】诉求%(reference)s须于%(resolve_due)s前办结")
            lead = _(
                "服务诉求%(reference)s（%(kind)s，%(station)s，首问负责人：%(owner)s）尚未办结，"
                "办结时限为%(resolve_due)s（依据：%(resolve_limit)s）。请在时限前办结。"
            )
        case AlertKind.CONTACT_ESCALATION:
            subject = _("【超时督办】诉求%(reference)s已超过联系时限")
            lead = _(
                "服务诉求%(reference)s（%(kind)s，%(station)s，首问负责人：%(owner)s）"
                "已超过联系时限%(contact_due)s（依据：%(contact_limit)s），至今未联系用户。请督促办理。"
            )
        case AlertKind.RESOLVE_ESCALATION:
            subject = _("【超时督办】诉求%(reference)s已超过办结时限")
            lead = _(
                "服务诉求%(reference)s（%(kind)s，%(station)s，首问负责人：%(owner)s）"
                "已超过办结时限%(resolve_due)s（依据：%(resolve_limit)s），至今未办结。请督促办理。"
            )
        case AlertKind.RETURN_VISIT:
            facts["closed"] = _when(request.closed_at)
            facts["latest"] = _when(request.closed_at + RETURN_VISIT_WITHIN)
            facts["hours"] = _calling_hours()
            subject = _("【回访提醒】请于%(latest)s前回访诉求%(reference)s")
            lead = _(
                "服务诉求%(reference)s（%(kind)s，%(station)s）已于%(closed)s办结。"
                "请于%(latest)s前（办结后24小时内）回访用户，回访时间为%(hours)s，并在后台记录回访情况。"
            )
        case AlertKind.DISSATISFIED:
            facts["rating"] = request.get_rating_display()
            subject = _("【评价复核】诉求%(reference)s的用户评价为“%(rating)s”")
            lead = _(
                "服务诉求%(reference)s（%(kind)s，%(station)s，首问负责人：%(owner)s）的用户评价为"
                "“%(rating)s”。请核查办理过程，联系用户纠正服务中的问题，并在后台记录回访情况。"
            )
        case _:
            raise ValueError(f"unknown staff alert kind {kind!r}")
    body = "\n\n".join(
        [
            lead % facts,
            _("办理入口：%s") % admin_url(request),
            _("本邮件由系统自动发送，不含用户个人信息，请登录后台查看诉求详情。"),
        ]
    )
    return Email(subject=subject % facts, body=body + "\n")
