"""SMS subscribers and the delivery ledger of every channel.

The ledger has one OutboundMessage per notice event and channel (unique) and one Delivery per
message and recipient (unique): whatever runs twice, crashes or is redelivered, a recipient can
have at most one delivery of a message, and its status says where it is; its counters say how
often the recipient was handed to the provider and how often the provider accepted it, so a
message sent twice shows in the report (`alerts.dispatch.report`). A recipient is a row of the
channel's own model (an SMS subscriber, a 公众号 follower's binding, a group robot, a press
contact), named by `recipient_id`: the ledger holds no address, and it keeps its counts after
the recipient is deleted under the retention rules."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from alerts.blocks import MenuButtonBlock
from alerts.enums import (
    ConsentSource,
    DeliveryStatus,
    ExportedList,
    FollowerSource,
    MessageEvent,
    MessageStatus,
    SubscriberStatus,
    UnsubscribeReason,
)
from contacts.models import Community
from notices.enums import Utility
from notices.models import OutageNoticePage
from sms import mask_number
from wechat import mask_openid


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    status = models.CharField(
        _("状态"), max_length=14, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    communities = models.ManyToManyField(
        Community,
        verbose_name=_("关注小区"),
        blank=True,
        related_name="subscribers",
        help_text=_("不选则接收全市的停供短信。"),
    )
    consent_at = models.DateTimeField(_("同意接收时间"))
    consent_source = models.CharField(_("同意来源"), max_length=10, choices=ConsentSource.choices)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    unsubscribe_reason = models.CharField(
        _("退订方式"), max_length=10, choices=UnsubscribeReason.choices, blank=True
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短信订阅用户")
        verbose_name_plural = _("短信订阅用户")
        indexes = [models.Index(fields=["status"], name="subscriber_status")]
        # Downloading the whole list is more than viewing it: a permission of its own (审核).
        permissions = [("export_subscriber", _("可以导出短信订阅用户"))]

    def __str__(self) -> str:
        return self.masked_phone

    @property
    def masked_phone(self) -> str:
        return mask_number(self.phone)

    masked_phone.fget.short_description = _("手机号")

    @property
    def utilities(self) -> list[Utility]:
        """The utilities followed, in the enum's order (reads a prefetched followed_utilities)."""
        followed = {row.utility for row in self.followed_utilities.all()}
        return [utility for utility in Utility if utility in followed]

    def follow(self, utilities) -> None:
        """Follow exactly `utilities` (Utility values) from now on."""
        self.followed_utilities.exclude(utility__in=utilities).delete()
        SubscriberUtility.objects.bulk_create(
            [SubscriberUtility(subscriber=self, utility=utility) for utility in utilities],
            ignore_conflicts=True,
        )


class SubscriberUtility(models.Model):
    """One utility a subscriber is texted about: a row per utility rather than a column, so a
    new Utility member needs no new field. Dispatch finds a notice's audience by (utility,
    subscriber), which the index covers; the unique constraint covers a subscriber's own rows."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="followed_utilities"
    )
    utility = models.CharField(_("类型"), max_length=10, choices=Utility.choices)

    class Meta:
        verbose_name = _("关注类型")
        verbose_name_plural = _("关注类型")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "utility"], name="one_row_per_subscriber_utility"
            )
        ]
        indexes = [
            models.Index(fields=["utility", "subscriber"], name="subscriber_utility_audience")
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id}:{self.utility}"


class OutboundMessage(models.Model):
    notice = models.ForeignKey(
        OutageNoticePage,
        verbose_name=_("通知"),
        on_delete=models.CASCADE,
        related_name="outbound_messages",
    )
    channel = models.CharField(
        _("渠道"), max_length=20, default="sms", help_text="alerts.channels.registry name"
    )
    event = models.CharField(_("事件"), max_length=12, choices=MessageEvent.choices)
    event_key = models.CharField(
        max_length=40, help_text="published, or update-<NoticeUpdate id>: one message per event"
    )
    text = models.TextField(_("内容"))
    template_code = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    not_before = models.DateTimeField(_("最早发送时间"))
    sent_by = models.CharField(
        _("发送规则"), max_length=160, blank=True, help_text=_("写下这条消息的内容规则及其版本。")
    )
    rule_revision_id = models.IntegerField(
        null=True, blank=True, help_text="the rules.ContentRule revision that wrote it"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.WAITING
    )
    fanned_out_at = models.DateTimeField(_("生成名单时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送消息")
        verbose_name_plural = _("推送消息")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "event_key", "channel"],
                name="one_message_per_notice_event_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.event_key}:{self.channel}"


class Delivery(models.Model):
    message = models.ForeignKey(
        OutboundMessage, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient_id = models.BigIntegerField(help_text="pk of the channel's recipient model")
    status = models.CharField(
        _("状态"), max_length=11, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    # The retry budget: claims since the last staff retry, which resets it (MAX_ATTEMPTS).
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # The honest count of the report, never reset. `handovers`: provider calls made or begun
    # for this recipient (counted and stamped `handed_over_at` just before the call, committed,
    # so a worker killed right after the call cannot hide one, and a row claimed but never
    # handed over is known to be safe to send again). `accepted`: those the provider accepted, by its
    # answer or, after a crash, by `was_accepted`. `unconfirmed`: those whose fate the provider
    # could not tell after a crash (sent again: one of them may have reached the phone too).
    handovers = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    accepted = models.PositiveSmallIntegerField(_("受理次数"), default=0)
    unconfirmed = models.PositiveSmallIntegerField(_("无法确认次数"), default=0)
    out_id = models.CharField(max_length=40, blank=True, help_text="tag of the provider call")
    provider_id = models.CharField(_("服务商编号"), max_length=64, blank=True)
    last_error = models.CharField(_("错误"), max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "recipient_id"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["message", "status"], name="delivery_message_status")]

    def __str__(self) -> str:
        return f"{self.message_id}→{self.recipient_id}: {self.status}"


class SubscriberExport(models.Model):
    """One download of the subscriber list from the admin: who, when, how many rows, in which
    format and with which filters, never a number. Each is also written to Wagtail's audit log
    (action `alerts.export_subscribers`), so it shows in the admin's site history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("导出人用户名"), max_length=150)
    exported_list = models.CharField(
        _("名单"), max_length=12, choices=ExportedList.choices, default=ExportedList.SUBSCRIBERS
    )
    exported_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("行数"))
    file_format = models.CharField(_("格式"), max_length=4)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)

    class Meta:
        verbose_name = _("订阅用户导出记录")
        verbose_name_plural = _("订阅用户导出记录")

    def __str__(self) -> str:
        return _("%(list)s导出（%(rows)d条，%(format)s）") % {
            "list": self.get_exported_list_display(),
            "rows": self.rows,
            "format": self.file_format.upper(),
        }


def mask_secret(value: str) -> str:
    """'693a91f6-7f2e-4bc4-97a0-0ec2d1fa5aaa' -> '693a****5aaa': enough to tell keys apart."""
    if len(value) < 12:
        return "*" * len(value)
    return f"{value[:4]}****{value[-4:]}"


def mask_email(address: str) -> str:
    """'zhang.wei@example.cn' -> 'zh***@example.cn'."""
    local, _at, domain = address.partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


class GroupRobot(models.Model):
    """The 企业微信 group robot of a building's 供热管家群, addressed by its webhook key. The
    key is a secret (anyone holding it can post to the group): the admin takes a new one and
    shows only a mask (`masked_key`), and nothing logs it."""

    name = models.CharField(
        _("群名称"), max_length=80, help_text=_("例如：兴宇小区3号楼供热管家群")
    )
    community = models.ForeignKey(
        Community, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="group_robots"
    )
    building = models.CharField(_("楼栋"), max_length=40, blank=True)
    webhook_key = models.CharField(_("Webhook key"), max_length=64, unique=True)
    active = models.BooleanField(_("启用"), default=True)
    deactivated_reason = models.CharField(_("停用原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("管家群机器人")
        verbose_name_plural = _("管家群机器人")
        indexes = [models.Index(fields=["community", "active"], name="group_robot_audience")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_key(self) -> str:
        return mask_secret(self.webhook_key)

    masked_key.fget.short_description = _("Webhook key")


class PressContact(models.Model):
    """A newsroom's desk that gets every major outage by e-mail (the seeds' 媒体)."""

    outlet = models.CharField(_("媒体"), max_length=80, help_text=_("例如：长春日报"))
    person = models.CharField(_("联系人"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), unique=True)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("媒体联系人")
        verbose_name_plural = _("媒体联系人")

    def __str__(self) -> str:
        return f"{self.outlet} {self.person}".strip()

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

    masked_email.fget.short_description = _("电子邮箱")


class WeChatFollower(models.Model):
    """A follower of the 公众号 who bound at least one community, known only by the openid
    WeChat gives this account: no name, no number. An openid is personal data: masked on every
    screen, never logged, exported only by 审核, deleted WECHAT_RETENTION_DAYS after the
    follower left (unfollowed, or unbound the last community)."""

    openid = models.CharField(max_length=64, unique=True)
    following = models.BooleanField(_("关注中"), default=True)
    left_at = models.DateTimeField(
        _("离开时间"), null=True, blank=True, help_text="unfollowed or unbound the last community"
    )
    created_at = models.DateTimeField(_("首次绑定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公众号关注用户")
        verbose_name_plural = _("公众号关注用户")
        permissions = [("export_wechatfollower", _("可以导出公众号关注用户"))]

    def __str__(self) -> str:
        return self.masked_openid

    @property
    def masked_openid(self) -> str:
        return mask_openid(self.openid)

    masked_openid.fget.short_description = _("openid")


class FollowerBinding(models.Model):
    """A follower's community: template messages about its outages, 查询 answers about it."""

    follower = models.ForeignKey(WeChatFollower, on_delete=models.CASCADE, related_name="bindings")
    community = models.ForeignKey(
        Community,
        verbose_name=_("小区"),
        on_delete=models.CASCADE,
        related_name="wechat_bindings",
    )
    source = models.CharField(_("绑定方式"), max_length=8, choices=FollowerSource.choices)
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公众号小区绑定")
        verbose_name_plural = _("公众号小区绑定")
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "community"], name="one_binding_per_follower_community"
            )
        ]
        indexes = [models.Index(fields=["community", "follower"], name="binding_audience")]

    def __str__(self) -> str:
        return f"{self.follower_id}→{self.community_id}"


class CommunityQrCode(models.Model):
    """The permanent parametric QR code of a community (scene = its code), created once at
    WeChat (an account has 100,000 permanent codes) and drawn locally from its URL."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="wechat_qr_code"
    )
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("小区二维码")
        verbose_name_plural = _("小区二维码")

    def __str__(self) -> str:
        return str(self.community_id)


@register_setting(icon="list-ul")
class WeChatMenuSettings(BaseSiteSetting):
    """The 公众号's custom menu, edited here and pushed to WeChat from the 公众号 page of the
    admin (WeChat keeps its own copy: an edit shows only after 推送). Empty: the default menu
    (alerts.followers.menu.DEFAULT)."""

    buttons = StreamField(
        [("button", MenuButtonBlock())],
        verbose_name=_("菜单"),
        blank=True,
        max_num=3,
        help_text=_("最多3个按钮，每个按钮最多5个子菜单。保存后请到“公众号”页面推送到微信。"),
    )
    pushed_at = models.DateTimeField(_("上次推送时间"), null=True, blank=True, editable=False)
    push_result = models.CharField(_("上次推送结果"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("公众号菜单")
