"""What the link check found, kept between runs so that the report tells new problems from old
ones and fixed ones, and so that each problem is e-mailed once.

- `LinkProblem`: one row per broken (or outdated) link per page or setting, field and target,
  identified by `key`; a run updates it in place (first seen, last seen) and closes it
  (`fixed_at`) when the link is gone or works again. A link that breaks again later reopens
  its row as a new problem.
- `CheckedURL`: the last answer of each external address, so that a run cut short by its time
  budget keeps what earlier runs learnt, and checks the addresses it has not looked at for
  longest first.
- `LinkCheckRun`: one row per run; at most one is queued or running at a time (`active`, under a
  partial unique constraint), so a task django-q2 delivers twice, or a click while the daily run works,
  checks nothing twice."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkcheck.enums import Kind, RunState, Severity, Status


class LinkCheckRun(models.Model):
    state = models.CharField(
        _("状态"), max_length=20, choices=RunState.choices, default=RunState.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示每日定时检查。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    links = models.PositiveIntegerField(_("检查的链接"), default=0)
    urls_checked = models.PositiveIntegerField(_("本次访问的外部地址"), default=0)
    urls_left = models.PositiveIntegerField(_("超出时限未访问的外部地址"), default=0)
    opened = models.PositiveIntegerField(_("新发现"), default=0)
    fixed = models.PositiveIntegerField(_("已修复"), default=0)
    message = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(default=True)  # queued or running; False once it has ended

    class Meta:
        verbose_name = _("链接检查")
        verbose_name_plural = _("链接检查")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()
        permissions = [("run_check", _("可立即检查链接，并接收无人负责的失效链接通知"))]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="linkcheck_one_active_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class LinkProblem(models.Model):
    # Where the link is: a page (base content type Page) or a setting.
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.CharField(max_length=64)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("页面"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    source_label = models.CharField(_("所在页面或设置"), max_length=255)
    field = models.CharField(max_length=255)  # model path: answer, body.article.text
    where = models.CharField(_("位置"), max_length=255)  # the same in the editor's words
    target = models.TextField(_("链接"))  # the href, or page:12 / document:3 for a chosen one
    text = models.CharField(_("链接文字"), max_length=200, blank=True)
    key = models.CharField(max_length=64, unique=True)  # sha256 of source, field and target

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("问题"), max_length=20, choices=Status.choices)
    severity = models.CharField(_("严重程度"), max_length=20, choices=Severity.choices)
    http_status = models.PositiveSmallIntegerField(_("HTTP状态码"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    suggestion = models.TextField(_("建议改为"), blank=True)
    # The page the link leads to, when there is one: the delete and unpublish warnings list the
    # pages linking to a page by a typed address (HARD_CODED), which no usage index holds.
    target_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))
    fixed_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题链接")
        verbose_name_plural = _("问题链接")
        ordering = ["source_label", "where", "target"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["fixed_at", "severity"], name="linkcheck_open_severity")]

    def __str__(self) -> str:
        return f"{self.source_label}：{self.target}"

    @property
    def is_open(self) -> bool:
        return self.fixed_at is None


class CheckedURL(models.Model):
    url = models.TextField()
    url_hash = models.CharField(max_length=64, unique=True)
    checked_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)  # blank: works
    severity = models.CharField(max_length=20, choices=Severity.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)
    suggestion = models.TextField(blank=True)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["checked_at"], name="linkcheck_url_checked")]

    def __str__(self) -> str:
        return self.url
