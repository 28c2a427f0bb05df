"""Partner feeds: the RSS/Atom sources of water, gas and power companies that staff configure,
and one row per entry seen, which is what makes the import idempotent. Imported by
notices.models, so the app label is `notices`; the import itself is notices.partners.importer."""

from django.core.validators import URLValidator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from notices.enums import Utility


class FeedStatus(models.TextChoices):
    OK = "ok", _("正常")
    ERROR = "error", _("有错误")


class PartnerFeedSource(models.Model):
    name = models.CharField(_("名称"), max_length=80, help_text=_("例如：长春燃气股份有限公司"))
    url = models.URLField(
        _("订阅地址（RSS/Atom）"), max_length=500, validators=[URLValidator(["http", "https"])]
    )
    default_utility = models.CharField(
        _("默认类型"),
        max_length=10,
        choices=Utility.choices,
        default=Utility.WATER,
        help_text=_("条目标题和正文中没有“停水”“停气”等字样时使用。"),
    )
    default_district = models.CharField(_("默认所在区"), max_length=30, blank=True)
    trusted = models.BooleanField(
        _("可信来源"),
        default=False,
        help_text=_("勾选后新条目直接发布；否则保存为草稿，由审核人员检查后发布。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    last_checked_at = models.DateTimeField(_("上次检查时间"), null=True, editable=False)
    last_status = models.CharField(
        _("上次检查结果"), max_length=10, choices=FeedStatus.choices, blank=True, editable=False
    )
    last_error = models.TextField(_("上次错误"), blank=True, editable=False)
    last_imported_count = models.PositiveIntegerField(_("上次导入条数"), default=0, editable=False)

    class Meta:
        verbose_name = _("合作单位订阅源")
        verbose_name_plural = _("合作单位订阅源")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def last_error_excerpt(self) -> str:
        return Truncator(self.last_error).chars(60)


class PartnerEntry(models.Model):
    """An entry of a source, by its GUID. `imported_at` is set once a notice was made from it and
    never cleared, so a notice staff delete (a rejected draft) is not imported again; an entry
    that could not be imported keeps its reason in `problem` and is retried on the next run."""

    source = models.ForeignKey(
        PartnerFeedSource,
        verbose_name=_("订阅源"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    guid = models.CharField(_("条目ID"), max_length=255)
    title = models.CharField(_("标题"), max_length=255, blank=True)
    link = models.URLField(_("原文链接"), max_length=500, blank=True)
    notice = models.ForeignKey(
        "notices.OutageNoticePage",
        verbose_name=_("停供通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    problem = models.TextField(_("未导入原因"), blank=True)
    checked_at = models.DateTimeField(_("最后检查时间"), auto_now=True)

    class Meta:
        verbose_name = _("合作单位条目")
        verbose_name_plural = _("合作单位条目")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="partner_entry_unique_guid")
        ]

    def __str__(self) -> str:
        return self.title or self.guid
