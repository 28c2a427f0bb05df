"""管家群: a markdown post to the 企业微信 group robot of each 供热管家群 (one group per
building, seed 001) of the notice's communities.

A robot is addressed by its webhook key, a secret: anyone holding it can post to the group. It
goes in the request's query string and nowhere else: never in an error message (requests puts
the URL in its exceptions, so theirs are never passed on), a log line or a page.

The API answers HTTP 200 with an `errcode`: 0 taken; 45009 the robot's limit of 20 messages a
minute (retried later: one post per robot per event stays well under it, several notices at
once may not); -1 busy; 93000 the key is no longer valid (the robot was removed from its group):
the robot is deactivated with a note staff see in the admin. WeCom keeps no record a caller
could query, so after a crash an unconfirmed post cannot be checked: it is posted again (a late
post beats a lost one in a group that expects it)."""

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts import messages
from alerts.channels.base import (
    Channel,
    Content,
    PermanentDeliveryError,
    RecipientGoneError,
    TransientDeliveryError,
)
from alerts.channels.registry import register
from alerts.models import GroupRobot
from core.addresses import page_url
from notices.presentation import time_range

MARKDOWN_LIMIT = 4096  # bytes of UTF-8 the API takes in markdown.content
COMMUNITIES_SHOWN = 20
OVER_LIMIT, INVALID_KEY, BUSY = 45009, 93000, -1
SEND_PATH = "/cgi-bin/webhook/send"


class RobotClient:
    """The webhook API: one POST per robot. `timeout`: (connect, read) seconds; a read that
    times out leaves open whether the post went through."""

    def __init__(self, base_url: str | None = None, *, timeout: tuple[float, float] = (3.05, 10)):
        self.url = (base_url or settings.WECOM_ROBOT_API_BASE).rstrip("/") + SEND_PATH
        self.timeout = timeout
        self.session = requests.Session()

    def post(self, key: str, markdown: str) -> str:
        payload = {"msgtype": "markdown", "markdown": {"content": markdown}}
        try:
            response = self.session.post(
                self.url, params={"key": key}, json=payload, timeout=self.timeout
            )
        except requests.ConnectTimeout:
            raise TransientDeliveryError(_("连接企业微信超时")) from None
        except requests.ReadTimeout:
            raise TransientDeliveryError(
                _("企业微信未在时限内答复，可能已收到"), maybe_accepted=True
            ) from None
        except requests.RequestException:
            raise TransientDeliveryError(_("无法连接企业微信")) from None
        if response.status_code >= 500:
            raise TransientDeliveryError(_("企业微信暂时不可用（HTTP %d）") % response.status_code)
        if response.status_code != 200:
            raise PermanentDeliveryError(
                _("企业微信接口地址有误（HTTP %d），请检查 WECOM_ROBOT_API_BASE")
                % response.status_code
            )
        try:
            answer = response.json()
            errcode = int(answer.get("errcode", BUSY))
        except (ValueError, TypeError, AttributeError):
            raise TransientDeliveryError(_("企业微信的答复无法解析")) from None
        return _outcome(errcode, str(answer.get("errmsg", ""))[:80])


def _outcome(errcode: int, errmsg: str) -> str:
    match errcode:
        case 0:
            return "ok"
        case 45009:
            raise TransientDeliveryError(
                _("机器人发送太频繁（45009，每分钟最多20条）"), retry_after=60
            )
        case -1:
            raise TransientDeliveryError(_("企业微信系统繁忙（-1）"))
        case 93000:
            raise RecipientGoneError(_("Webhook key 无效（93000）：机器人可能已被移出群聊"))
    raise PermanentDeliveryError(
        _("企业微信拒绝了消息（%(code)d %(msg)s）") % {"code": errcode, "msg": errmsg}
    )


def markdown(notice, event: str, update=None) -> str:
    """What, where, when, what to do, whom to call, and the link: the facts of the SMS text
    (alerts.messages), laid out for a group chat, within the API's byte limit."""
    heading = messages.heading(notice, event)
    lines = [
        f"### 【{settings.SMS_SIGN_NAME}】{heading}",
        f"**{notice.title}**",
        "> " + _("地点：%s") % messages.place(notice),
        "> " + _("时间：%s") % f'<font color="warning">{time_range(notice)}</font>',
    ]
    if notice.boundary_display:
        lines.append("> " + _("范围：%s") % notice.boundary_display)
    names = [community.name for community in notice.communities.all()]
    if names:
        shown = "、".join(names[:COMMUNITIES_SHOWN])
        if len(names) > COMMUNITIES_SHOWN:
            shown += _("等%d个小区") % len(names)
        lines.append("> " + _("涉及小区：%s") % shown)
    lines.append(messages.action(notice, event, update))
    phone = messages.hotline(notice)
    if phone:
        lines.append(_("详询：%s") % phone)
    link = page_url(notice)
    if link:
        lines.append(f"[{_('查看通知')}]({link})")
    return _within_limit("\n".join(lines))


def _within_limit(text: str) -> str:
    data = text.encode()
    if len(data) <= MARKDOWN_LIMIT:
        return text
    return data[: MARKDOWN_LIMIT - len("…".encode())].decode(errors="ignore") + "…"


@register
class RobotChannel(Channel):
    name = "robot"
    label = gettext_lazy("管家群")
    order = 30
    max_batch = 1  # one robot per call
    concurrency = 4
    rate = 10  # calls a second across robots; each robot gets one post per event

    @classmethod
    def is_enabled(cls) -> bool:
        return GroupRobot.objects.filter(active=True).exists()

    def build_backend(self):
        return RobotClient()

    def audience(self, notice):
        return (
            GroupRobot.objects.filter(active=True, community__in=notice.communities.values("pk"))
            .values(recipient_id=F("pk"))
            .distinct()
        )

    def addresses(self, recipient_ids):
        return dict(
            GroupRobot.objects.filter(pk__in=recipient_ids, active=True).values_list(
                "pk", "webhook_key"
            )
        )

    def render(self, notice, event, update=None) -> Content:
        return Content(text=markdown(notice, event, update), link=page_url(notice) or "")

    def preview(self, notice) -> dict:
        shown = super().preview(notice)
        size = len(shown["text"].encode())
        shown["note"] = _(
            "Markdown消息，%(size)d字节（上限%(limit)d）；发往所涉小区的每个管家群。"
        ) % {
            "size": size,
            "limit": MARKDOWN_LIMIT,
        }
        return shown

    def send(self, addresses, content, *, out_id):
        [key] = addresses
        return self.backend.post(key, content.text)

    def recipient_gone(self, addresses):
        """WeCom no longer knows the key: the robot is off until staff enter a new one."""
        reason = _("%(time)s 企业微信答复 Webhook key 无效（93000），机器人可能已被移出群聊") % {
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")
        }
        GroupRobot.objects.filter(webhook_key__in=addresses).update(
            active=False, deactivated_reason=reason[:200]
        )
