"""The catalogue's records.

Every page type the catalogue discloses mixes in `DisclosedPage` (the metadata editors fill in,
with defaults); every page that gives items their column mixes in `CatalogueSection`. What the
portal mirrors is kept apart from the pages, in rows that outlive them:

- `CatalogueItem`, one per page ever disclosed: its 索引号 (given once, never changed, never
  given again: the row stays when the page is deleted), whether it is in the catalogue now, and
  the snapshot of its metadata last announced.
- `CatalogueChange`, appended whenever an item enters, changes or leaves the catalogue, numbered
  by `CatalogueSequence` in commit order (catalogue.changes explains why that holds).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from catalogue.cache_tags import CATALOGUE
from catalogue.columns import Column
from catalogue.enums import Genre, Topic, Validity
from core import page_cache

CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"


@register_setting(icon="list-ul")
class CatalogueSettings(BaseSiteSetting):
    """Who discloses: the organisation every item is published by unless it names another, and
    the credit code every 索引号 begins with."""

    organisation = models.CharField(_("发布机构"), max_length=80, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        help_text=_("18位，索引号以它开头；填写后请勿更改，已编的索引号不会随之改变。"),
    )

    panels = [FieldPanel("organisation"), FieldPanel("credit_code")]

    class Meta:
        verbose_name = _("信息公开")

    def clean(self):
        import re

        code = self.credit_code.strip().upper()
        if code and not re.match(CREDIT_CODE_PATTERN, code):
            raise ValidationError(
                {"credit_code": _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。")}
            )
        self.credit_code = code


class CatalogueSection(models.Model):
    """A page that gives the disclosed pages under it (and itself, if it is one) their column.
    A page type with a fixed column sets `catalogue_column`; one whose editors choose it
    (disclosure.ColumnPage) makes it a field."""

    catalogue_column: str = ""

    class Meta:
        abstract = True


def metadata_panel(*, without: tuple[str, ...] = ()) -> MultiFieldPanel:
    """The 信息索引 panel of the editor (`without` the fields a page type shows elsewhere)."""
    rows = [
        ("publisher", "document_number"),
        ("written_on", "disclosed_on"),
        ("topic", "genre"),
        ("keywords",),
        ("validity", "validity_changed_on"),
    ]
    panels = []
    for row in rows:
        fields = [FieldPanel(name) for name in row if name not in without]
        if fields:
            panels.append(FieldRowPanel(fields) if len(fields) > 1 else fields[0])
    panels.append(PageChooserPanel("replaced_by"))
    return MultiFieldPanel(panels, heading=_("信息索引"))


class DisclosedPage(models.Model):
    """The catalogue metadata (GB/T 21063.3 core metadata as disclosure catalogues keep it),
    mixed into every disclosed page type before the page base class. Blank fields take the
    column's and the site's defaults (`catalogue.metadata`); the 索引号 is not a field here
    but `CatalogueItem.index_number`, so that no revision, copy or revert can change it."""

    publisher = models.CharField(
        _("发布机构"), max_length=80, blank=True, help_text=_("留空为本单位（信息公开设置）。")
    )
    written_on = models.DateField(
        _("成文日期"), null=True, blank=True, help_text=_("留空为发布日期。")
    )
    disclosed_on = models.DateField(
        _("发布日期"), null=True, blank=True, help_text=_("留空为首次发布的日期。")
    )
    topic = models.CharField(
        _("主题分类"), max_length=20, choices=Topic.choices, blank=True, help_text=_("留空按栏目。")
    )
    genre = models.CharField(
        _("体裁"), max_length=20, choices=Genre.choices, blank=True, help_text=_("留空按栏目。")
    )
    document_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("如“长供热〔2024〕5号”，没有可留空。")
    )
    validity = models.CharField(
        _("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID, blank=True
    )
    validity_changed_on = models.DateField(
        _("修订或废止日期"), null=True, blank=True, help_text=_("已修订、已废止时必填。")
    )
    replaced_by = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("已修订时必填：修订后的文件。"),
    )
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("以顿号或逗号分隔。")
    )

    promote_panels = [*Page.promote_panels, metadata_panel()]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        self.validity = self.validity or Validity.VALID  # a form without the panel sends none
        if self.validity != Validity.VALID and not self.validity_changed_on:
            errors["validity_changed_on"] = _("已修订或已废止的文件，请填写修订或废止日期。")
        if self.validity == Validity.REVISED and not self.replaced_by_id:
            errors["replaced_by"] = _("已修订的文件，请选择修订后的文件。")
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("替代文件不能是本文件。")
        if self.validity == Validity.VALID:
            self.validity_changed_on = None
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from catalogue.records import index_box

        context = super().get_context(request, *args, **kwargs)
        # Read only when the box is rendered: it is kept as a fragment (core.fragments) until
        # the page's record or any record it may name as its replacement changes.
        context["catalogue_index"] = SimpleLazyObject(lambda: index_box(self, request))
        context["catalogue_index_tags"] = [page_cache.page_tag(self.pk), CATALOGUE]
        return context

    def catalogue_defaults(self) -> dict:
        """Defaults of the page type for blank metadata fields, before the column's and the
        site's (regulations: the issuing body is the publisher)."""
        return {}

    def catalogue_summary(self) -> str:
        """One paragraph of plain text for feeds and the change API."""
        return self.search_description or ""

    def catalogue_updated_at(self):
        """When the item last changed for a reader (notices override: their timeline)."""
        return self.last_published_at

    def catalogue_extra(self) -> dict:
        """Fields of the page type beyond the catalogue's (notices: utility, state, times)."""
        return {}


class CatalogueItem(models.Model):
    """A page as the catalogue knows it. `page_id` is a plain number, not a foreign key: the row
    and its 索引号 stay when the page is deleted, so the number is never given again."""

    page_id = models.PositiveIntegerField(unique=True)
    index_number = models.CharField(_("索引号"), max_length=60, unique=True)
    column = models.CharField(_("栏目"), max_length=20, choices=Column.choices)
    in_catalogue = models.BooleanField(_("公开中"), default=True, db_index=True)
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=20, blank=True)
    snapshot = models.JSONField(default=dict)
    updated_at = models.DateTimeField(_("更新时间"), db_index=True)
    last_change = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("目录条目")
        indexes = [models.Index(fields=["column", "in_catalogue", "-updated_at"])]

    def __str__(self):
        return self.index_number


class IndexSerial(models.Model):
    """The last serial given in a column and year (索引号 = credit code/column code-year-serial).
    Only ever counts up, inside the transaction that gives the number."""

    column_code = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["column_code", "year"], name="one_serial_per_column_year"
            )
        ]

    def __str__(self):
        return f"{self.column_code}-{self.year}: {self.last}"


class CatalogueSequence(models.Model):
    """One row: the number of the last change. Taking the next number locks this row until the
    transaction ends, so numbers are handed out in commit order (catalogue.changes)."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.last)


class ChangeAction(models.TextChoices):
    CREATED = "created", _("新增")
    UPDATED = "updated", _("更新")
    WITHDRAWN = "withdrawn", _("撤销")


class CatalogueChange(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True)
    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    reason = models.CharField(max_length=20, blank=True)  # withdrawals: unpublished, deleted, ...
    at = models.DateTimeField()
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["sequence"]

    def __str__(self):
        return f"{self.sequence} {self.action} {self.item_id}"
