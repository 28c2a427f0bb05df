"""公众号 template messages to the followers bound to a notice's communities.

WeChat's template API takes one follower a call, so the channel keeps WECHAT_SEND_CONCURRENCY
calls in flight, paced to WECHAT_SEND_RATE a second. Every call carries its out_id as
`client_msg_id`: WeChat drops a second call with the same id for the same follower within 10
minutes, so recovery repeats an unconfirmed call within that window, and after it leaves the
follower unconfirmed rather than risk sending the same event twice (WeChat has no API to ask
whether it took a call)."""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import wechat
from alerts import messages
from alerts.channels.base import (
    Channel,
    Content,
    InvalidRecipientError,
    PermanentDeliveryError,
    RecipientGoneError,
    TransientDeliveryError,
)
from alerts.channels.registry import register
from alerts.enums import MessageEvent
from alerts.followers import bindings
from alerts.models import WeChatFollower
from core.addresses import page_url
from wechat.client import WeChatClient

THING_MAX = 20  # characters of a template's "thing" field
# Errors no call can get past as configured: invalid AppID or AppSecret, server IP not on the
# whitelist, unknown template, API not granted to the account. They stop the message; any other
# error is recorded on that follower's delivery and the others go on.
CONFIGURATION_ERRORS = {40013, 40125, 40164, 40037, 48001, 41001}
EVENT_TITLES = {
    MessageEvent.PUBLISHED: gettext_lazy("%(utility)s通知"),
    MessageEvent.EXTENDED: gettext_lazy("%(utility)s延长"),
    MessageEvent.RESTORED: gettext_lazy("%(utility)s已恢复"),
    MessageEvent.CANCELLED: gettext_lazy("%(utility)s已取消"),
    MessageEvent.STARTED: gettext_lazy("%(utility)s开始"),
    MessageEvent.CAUSE: gettext_lazy("%(utility)s原因变更"),
    MessageEvent.INFO: gettext_lazy("%(utility)s进展"),
}


def thing(text: str) -> str:
    return text if len(text) <= THING_MAX else text[: THING_MAX - 1] + "…"


def moment(value: datetime.datetime) -> str:
    """WeChat's "time" field: 2026年12月6日 08:00."""
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@register
class WeChatChannel(Channel):
    name = "wechat"
    label = gettext_lazy("公众号")
    order = 20
    max_batch = 1
    resend_unconfirmed = False
    idempotency_window = datetime.timedelta(minutes=10)

    @property
    def concurrency(self) -> int:
        return settings.WECHAT_SEND_CONCURRENCY

    @property
    def rate(self) -> float:
        return settings.WECHAT_SEND_RATE

    @classmethod
    def is_enabled(cls) -> bool:
        return wechat.is_configured() and bool(settings.WECHAT_TEMPLATE_ID)

    def build_backend(self):
        return WeChatClient.from_settings()

    def audience(self, notice):
        return (
            WeChatFollower.objects.filter(
                following=True, bindings__community__in=notice.communities.values("pk")
            )
            .values(recipient_id=F("pk"))
            .distinct()
        )

    def addresses(self, recipient_ids):
        return dict(
            WeChatFollower.objects.filter(pk__in=recipient_ids, following=True).values_list(
                "pk", "openid"
            )
        )

    def render(self, notice, event, update=None) -> Content:
        keys = settings.WECHAT_TEMPLATE_KEYS
        end = notice.current_ends_at
        when = moment(notice.starts_at) + (f"~{moment(end)}" if end else "")
        values = [
            thing(str(EVENT_TITLES[event] % {"utility": notice.utility_label})),
            thing(messages.place(notice)),
            when,
            thing(messages.action(notice, event, update)),
        ]
        params = dict(zip(keys, values, strict=True))
        labels = [_("类型"), _("地点"), _("时间"), _("说明")]
        text = "\n".join(f"{label}：{value}" for label, value in zip(labels, values, strict=True))
        return Content(
            text=text,
            template_code=settings.WECHAT_TEMPLATE_ID,
            params=params,
            link=page_url(notice) or "",
        )

    def preview(self, notice) -> dict:
        shown = super().preview(notice)
        shown["note"] = _("模板消息：每个字段最多%(max)d字，点击打开通知页面。") % {
            "max": THING_MAX
        }
        return shown

    def send(self, addresses, content, *, out_id):
        (openid,) = addresses
        data = {key: {"value": value} for key, value in content.params.items()}
        try:
            return str(
                self.backend.send_template(
                    openid, content.template_code, data, content.link, client_msg_id=out_id
                )
            )
        except wechat.NotFollowingError as exc:
            raise RecipientGoneError(str(exc)) from exc
        except wechat.TransientWeChatError as exc:
            raise TransientDeliveryError(str(exc), maybe_accepted=exc.maybe_accepted) from exc
        except wechat.WeChatError as exc:
            if exc.errcode in CONFIGURATION_ERRORS:
                raise PermanentDeliveryError(str(exc)) from exc
            raise InvalidRecipientError(str(exc), addresses=addresses) from exc

    def recipient_gone(self, addresses):
        bindings.left(addresses)
