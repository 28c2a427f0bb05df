"""媒体: every major outage e-mailed to each active press contact, one e-mail per contact (each
sees only their own address), through Django's e-mail connection (settings EMAIL_*).

SMTP errors are classified by what they say about a retry: a refused recipient fails alone
(a 4xx refusal, mailbox busy, is retried); a refused login, sender or TLS setup can never
succeed until settings change and stops the message; a connection that fails, times out or
answers 4xx is retried later. A connection lost in the middle of the transaction leaves open
whether the server took the message: recovery, unable to ask, sends it again (a press desk
reading a notice twice beats missing it)."""

import smtplib
import ssl

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts import messages
from alerts.channels.base import (
    Channel,
    Content,
    InvalidRecipientError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from alerts.channels.registry import register
from alerts.models import PressContact
from core.addresses import page_url
from notices.presentation import time_range

# What a socket or SMTP session raises when the server is unreachable, slow or gone.
NETWORK_ERRORS = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, OSError)


def subject(notice, event: str) -> str:
    heading = messages.heading(notice, event)
    return f"【{settings.SMS_SIGN_NAME}】{heading}：{messages.place(notice)}"


def body(notice, event: str, update=None) -> str:
    """Every fact an editor needs for a short news item: the facts of the SMS text
    (alerts.messages) and the area, communities, cause and link."""
    lines = [
        notice.title,
        "",
        _("类型：%(utility)s（%(kind)s）")
        % {"utility": notice.utility_label, "kind": notice.kind_label},
        _("状态：%s") % notice.state_label,
        _("时间：%s") % time_range(notice),
        _("地点：%s") % messages.place(notice),
    ]
    if notice.district:
        lines.append(_("行政区：%s") % notice.district)
    if notice.boundary_display:
        lines.append(_("范围：%s") % notice.boundary_display)
    names = [community.name for community in notice.communities.all()]
    if names:
        lines.append(
            _("影响小区（%(count)d个）：%(names)s")
            % {"count": len(names), "names": "、".join(names)}
        )
    if notice.households:
        lines.append(_("影响户数：%d户") % notice.households)
    if notice.cause:
        lines.append(_("原因：%s") % notice.cause)
    lines.append(messages.action(notice, event, update))
    link = page_url(notice)
    if link:
        lines.append(_("通知全文：%s") % link)
    phone = messages.hotline(notice)
    if phone:
        lines += [
            "",
            _("%(company)s 咨询电话：%(phone)s")
            % {"company": settings.SMS_SIGN_NAME, "phone": phone},
        ]
    return "\n".join(lines) + "\n"


@register
class PressChannel(Channel):
    name = "press"
    label = gettext_lazy("媒体邮件")
    order = 40
    max_batch = 1  # one e-mail per contact: nobody sees another's address
    concurrency = 2
    rate = 2

    @classmethod
    def is_enabled(cls) -> bool:
        return PressContact.objects.filter(active=True).exists()

    def build_backend(self):
        """A factory of connections: one per call, since a connection is not shared between
        the pool's threads."""
        return get_connection

    def audience(self, notice):
        return PressContact.objects.filter(active=True).values(recipient_id=F("pk"))

    def addresses(self, recipient_ids):
        return dict(
            PressContact.objects.filter(pk__in=recipient_ids, active=True).values_list(
                "pk", "email"
            )
        )

    def render(self, notice, event, update=None) -> Content:
        return Content(
            text=body(notice, event, update),
            params={"subject": subject(notice, event)},
            link=page_url(notice) or "",
        )

    def preview(self, notice) -> dict:
        shown = super().preview(notice)
        shown["note"] = _("纯文本邮件，每位媒体联系人单独一封。")
        return shown

    def send(self, addresses, content, *, out_id):
        [address] = addresses
        email = EmailMessage(
            subject=content.params.get("subject", ""),
            body=content.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"X-Outage-Message": out_id},
        )
        connection = self.backend(fail_silently=False)
        try:
            try:
                connection.open()
            except smtplib.SMTPException as exc:  # refused login, no STARTTLS...
                raise _classified(exc) from None
            except NETWORK_ERRORS as exc:
                raise _network_error(exc) from None
            try:
                connection.send_messages([email])
            except smtplib.SMTPException as exc:
                raise _classified(exc, sending=True) from None
            except NETWORK_ERRORS as exc:
                raise _network_error(exc, sending=True) from None
        finally:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):  # the server went away: nothing to close
                pass
        return out_id


def _network_error(exc: OSError, *, sending: bool = False) -> Exception:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentDeliveryError(_("邮件服务器的证书无法验证，请检查 EMAIL_HOST 和 TLS 设置"))
    if sending:
        return TransientDeliveryError(
            _("发送中与邮件服务器的连接中断，可能已收到"), maybe_accepted=True
        )
    return TransientDeliveryError(_("无法连接邮件服务器"))


def _classified(exc: smtplib.SMTPException, *, sending: bool = False) -> Exception:
    """The SMTP answer as a delivery error; its text never carries the address."""
    match exc:
        case smtplib.SMTPRecipientsRefused():
            codes = [code for code, _message in exc.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):
                return TransientDeliveryError(_("收件服务器暂时拒收（%d）") % codes[0])
            return InvalidRecipientError(
                _("收件地址被拒收（%s）") % (codes[0] if codes else "?"), addresses=exc.recipients
            )
        case smtplib.SMTPAuthenticationError():
            return PermanentDeliveryError(
                _("邮件服务器拒绝登录（%d），请检查 EMAIL_HOST_USER 和 EMAIL_HOST_PASSWORD")
                % exc.smtp_code
            )
        case smtplib.SMTPServerDisconnected():
            return _network_error(exc, sending=sending)
        case smtplib.SMTPResponseException() if 400 <= exc.smtp_code < 500:
            return TransientDeliveryError(_("邮件服务器暂时不可用（%d）") % exc.smtp_code)
        case smtplib.SMTPResponseException():
            return PermanentDeliveryError(
                _("邮件服务器拒绝了发件人或邮件（%d），请检查 DEFAULT_FROM_EMAIL 和邮件服务器设置")
                % exc.smtp_code
            )
    return PermanentDeliveryError(_("邮件服务器设置有误：%s") % type(exc).__name__)
