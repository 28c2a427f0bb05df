"""Residents' requests (服务诉求), what staff did about them, and the figures published from
them. Phone numbers, addresses and descriptions are personal data: they are shown only to the
staff of the request's station, never on public pages, never in logs."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from contacts.models import Community, Station
from servicedesk.enums import (
    AlertKind,
    DayKind,
    EventKind,
    RequestKind,
    RequestStatus,
    ResidentMessageKind,
    Satisfaction,
    Signature,
)
from sms import mask_number

# 32 letters and digits without 0/O, 1/I/L: read aloud over the phone without confusion.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """e.g. 20261123-K7P2QX: the day it arrived and six random characters (no count of the
    company's requests in it, and not guessable)."""
    today = timezone.localdate().strftime("%Y%m%d")
    return today + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarDay(models.Model):
    """One exception to the Monday–Friday week, from the State Council's yearly holiday notice:
    a holiday on a weekday, or a weekend day worked in exchange (调休)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=30, help_text=_("例如：春节、国庆节调休上班"))

    panels = [FieldPanel("date"), FieldPanel("kind"), FieldPanel("name")]

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKDAY


class StationDesk(models.Model):
    """A station's service team: the users in `group` see and handle the requests routed to
    the station (and no other station's). Created with the station (signal_handlers)."""

    station = models.OneToOneField(
        Station, verbose_name=_("供热站"), on_delete=models.CASCADE, related_name="desk"
    )
    group = models.OneToOneField(
        Group, verbose_name=_("服务人员组"), on_delete=models.PROTECT, related_name="station_desk"
    )

    class Meta:
        verbose_name = _("供热站服务台")
        verbose_name_plural = _("供热站服务台")

    def __str__(self) -> str:
        return str(self.station)


class ServiceRequestQuerySet(models.QuerySet):
    def routed(self):
        """Requests whose number was proven: the only ones staff see or figures count."""
        return self.exclude(status=RequestStatus.UNVERIFIED)

    def open(self):
        return self.filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS])


class ServiceRequest(models.Model):
    reference = models.CharField(_("编号"), max_length=20, unique=True, default=new_reference)
    tracking_token = models.CharField(max_length=40, unique=True, default=new_tracking_token)
    kind = models.CharField(_("类型"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.UNVERIFIED,
        db_index=True,
    )
    community = models.ForeignKey(
        Community, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("责任供热站"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    phone = models.CharField(_("手机号码"), max_length=11)
    address = models.CharField(_("门牌"), max_length=60, blank=True)
    account_number = models.CharField(_("供暖卡号"), max_length=30, blank=True)
    description = models.TextField(_("诉求内容"), max_length=1000)

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    contact_due_at = models.DateTimeField(_("联系时限"), null=True, blank=True)
    contact_limit = models.CharField(_("联系时限依据"), max_length=200, blank=True)
    resolve_due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    resolve_limit = models.CharField(_("办结时限依据"), max_length=200, blank=True)
    contact_remind_at = models.DateTimeField(null=True, blank=True)
    resolve_remind_at = models.DateTimeField(null=True, blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_service_requests",
    )
    taken_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    return_visit_at = models.DateTimeField(_("计划回访时间"), null=True, blank=True)
    return_visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(
        _("评价"), choices=Satisfaction.choices, null=True, blank=True
    )
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务诉求")
        verbose_name_plural = _("服务诉求")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["station", "status"], name="servicedesk_station_status")]
        permissions = [
            ("handle_servicerequest", _("办理本站服务诉求")),
            ("supervise_servicerequest", _("督办全部服务诉求")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def masked_phone(self) -> str:
        return mask_number(self.phone) if self.phone else ""

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS)


class RequestEvent(models.Model):
    """The request's history: every step, who took it and when. Never edited, never deleted
    while the request exists; hand-overs record both sides."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("办理人姓名"), max_length=150, blank=True)
    note = models.TextField(_("说明"), blank=True)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class TemperatureReading(models.Model):
    """One room measured by seed 004's 测温办法: doors and windows closed 3 hours or more; one
    point under 20㎡, two for 20–40㎡, three above 40㎡, at 1.2 m; the room's temperature is
    the mean of its points; the household signs the result or, refusing, it counts as 合格."""

    MIN_CLOSED_HOURS = 3

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="temperature_readings"
    )
    event = models.OneToOneField(
        RequestEvent, on_delete=models.CASCADE, related_name="temperature_reading"
    )
    measured_at = models.DateTimeField(_("测温时间"))
    room = models.CharField(_("房间"), max_length=30, help_text=_("例如：主卧、起居室"))
    room_area = models.DecimalField(
        _("房间面积（㎡）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("500"))],
    )
    readings = models.JSONField(_("各测点读数（℃）"), default=list)
    average = models.DecimalField(_("平均室温（℃）"), max_digits=4, decimal_places=1)
    doors_closed_since = models.DateTimeField(_("门窗关闭时间"))
    signature = models.CharField(_("签字"), max_length=10, choices=Signature.choices)
    standard_temperature = models.DecimalField(_("室温标准（℃）"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("测温记录")
        verbose_name_plural = _("测温记录")
        ordering = ["measured_at", "pk"]

    def __str__(self) -> str:
        return f"{self.room} {self.average}℃"

    @staticmethod
    def points_required(area: Decimal) -> int:
        if area < 20:
            return 1
        if area <= 40:
            return 2
        return 3

    @property
    def meets_standard(self) -> bool:
        """Below standard only when measured below it and signed: a refusal counts as 合格."""
        return self.signature == Signature.REFUSED or self.average >= self.standard_temperature


class StaffAlert(models.Model):
    """A reminder or escalation, at most one of each kind per request: the unique row is what
    makes the minute job safe to run twice."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="servicedesk_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.get_kind_display()}"


class ResidentMessage(models.Model):
    """A text to the resident, at most one of each kind per request. Claimed before sending
    (`claimed_at`), so a redelivered task does not text twice."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="resident_messages"
    )
    kind = models.CharField(max_length=20, choices=ResidentMessageKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="servicedesk_message_once")
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.get_kind_display()}"


class ComplianceFigure(models.Model):
    """One station's month, computed from the requests by servicedesk.compliance (never typed):
    what the public compliance page, its CSV and its feed show. No personal data."""

    month = models.DateField(_("月份"))  # the first of the month
    # None: the whole company (its median is not the stations' medians combined).
    station = models.ForeignKey(Station, null=True, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(_("受理数"), default=0)
    due = models.PositiveIntegerField(_("应办结数"), default=0)
    closed_in_time = models.PositiveIntegerField(_("按时办结数"), default=0)
    contacted = models.PositiveIntegerField(_("已联系数"), default=0)
    median_contact_minutes = models.DecimalField(
        _("首次联系用时中位数（分钟）"), max_digits=9, decimal_places=1, null=True
    )
    open_overdue = models.PositiveIntegerField(_("超时未办结数"), default=0)
    ratings = models.PositiveIntegerField(_("评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意数"), default=0)
    rating_total = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        ordering = ["-month", "station__name"]
        # One row per station and month, and one company row (no station) per month: two
        # partial indexes, which SQLite and PostgreSQL both enforce (nulls_distinct does not
        # exist on SQLite).
        constraints = [
            models.UniqueConstraint(
                fields=["month", "station"],
                condition=models.Q(station__isnull=False),
                name="servicedesk_figure_once",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=models.Q(station__isnull=True),
                name="servicedesk_company_figure_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.station or _('全公司')}"

    @property
    def in_time_rate(self) -> Decimal | None:
        return _percent(self.closed_in_time, self.due)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _percent(self.satisfied, self.ratings)

    @property
    def average_rating(self) -> Decimal | None:
        if not self.ratings:
            return None
        return (Decimal(self.rating_total) / self.ratings).quantize(Decimal("0.1"))


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))
