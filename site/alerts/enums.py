from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("待验证")
    ACTIVE = "active", _("已订阅")
    UNSUBSCRIBED = "unsubscribed", _("已退订")


class ConsentSource(models.TextChoices):
    WEB = "web", _("网站")
    ADMIN = "admin", _("后台录入")


class UnsubscribeReason(models.TextChoices):
    LINK = "link", _("退订链接")
    REPLY = "reply", _("短信回复退订")
    ADMIN = "admin", _("后台操作")


class MessageEvent(models.TextChoices):
    """What a message tells; content rules (rules.actions) choose which events are sent."""

    PUBLISHED = "published", _("发布")
    STARTED = "started", _("开始")
    EXTENDED = "extended", _("延长")
    RESTORED = "restored", _("恢复")
    CANCELLED = "cancelled", _("取消")
    CAUSE = "cause", _("原因变更")
    INFO = "info", _("进展")


class MessageStatus(models.TextChoices):
    WAITING = "waiting", _("等待发送")
    SENDING = "sending", _("发送中")
    DONE = "done", _("已完成")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败")
    GAVE_UP = "gave_up", _("已放弃")
    # Handed over, then the worker died, and the provider cannot say whether it took the call:
    # not sent again on a channel that must never send twice (Channel.resend_unconfirmed).
    UNCONFIRMED = "unconfirmed", _("未确认")


class FollowerSource(models.TextChoices):
    TEXT = "text", _("发送小区名称")
    QR = "qr", _("扫描小区二维码")
    ADMIN = "admin", _("后台")


class ExportedList(models.TextChoices):
    SUBSCRIBERS = "subscribers", _("短信订阅用户")
    FOLLOWERS = "followers", _("公众号关注用户")
