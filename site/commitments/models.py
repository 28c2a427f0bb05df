from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from catalogue.columns import Column
from catalogue.models import CatalogueSection, DisclosedPage
from chinese_text import segmentation
from commitments.enums import CommitmentCategory, TimeLimitUnit
from commitments.forms import CommitmentPageForm
from core.pages import BasePage
from home.models import HomePage


class CommitmentIndexPage(CatalogueSection, BasePage):
    """服务承诺: the section that gathers the company's published standards."""

    catalogue_column = Column.COMMITMENTS

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = ["commitments.CommitmentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("服务承诺栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["standards"] = CommitmentPage.objects.child_of(self).live().order_by("path")
        return context


class CommitmentPage(DisclosedPage, BasePage):
    """A published service standard: its commitments are rows of data with machine-readable
    keys, so later features (notice checks, request deadlines) read the same promise the
    public reads."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    standard_temperature = models.DecimalField(
        _("室温标准（℃）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("18.0"),
        validators=[MinValueValidator(Decimal("10")), MaxValueValidator(Decimal("30"))],
        help_text=_("法规或条例规定的卧室、起居室温度，一般为18℃。"),
    )
    promised_temperature = models.DecimalField(
        _("承诺平均室温（℃）"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("10")), MaxValueValidator(Decimal("30"))],
        help_text=_("高于标准的承诺，如21℃；没有则留空。"),
    )
    promised_rate = models.PositiveSmallIntegerField(
        _("承诺达标率（%）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    season_start_month = models.PositiveSmallIntegerField(
        _("供热期开始月"), default=11, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    season_start_day = models.PositiveSmallIntegerField(
        _("供热期开始日"), default=15, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    season_end_month = models.PositiveSmallIntegerField(
        _("供热期结束月"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    season_end_day = models.PositiveSmallIntegerField(
        _("供热期结束日"), default=15, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    season_days = models.PositiveSmallIntegerField(
        _("供热期天数"), default=120, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    source = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如：《社会服务承诺制度》第八条")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("standard_temperature"),
                FieldRowPanel([FieldPanel("promised_temperature"), FieldPanel("promised_rate")]),
            ],
            heading=_("室温承诺"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("season_start_month"), FieldPanel("season_start_day")]),
                FieldRowPanel([FieldPanel("season_end_month"), FieldPanel("season_end_day")]),
                FieldPanel("season_days"),
            ],
            heading=_("供热期"),
        ),
        InlinePanel("commitments", heading=_("服务时限"), label=_("承诺事项")),
        FieldPanel("source"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_title", boost=2),
        index.SearchField("search_text"),
    ]
    parent_page_types = ["commitments.CommitmentIndexPage"]
    subpage_types = []
    base_form_class = CommitmentPageForm

    class Meta:
        verbose_name = _("服务承诺页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["commitment_groups"] = self.grouped_commitments()
        return context

    def grouped_commitments(self) -> list[tuple[str, list["Commitment"]]]:
        """Commitments in editor order, grouped by category in order of first appearance."""
        groups: dict[str, list[Commitment]] = {}
        for commitment in self.commitments.all():
            groups.setdefault(commitment.get_category_display(), []).append(commitment)
        return list(groups.items())

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().prefetch_related("commitments")

    def search_title(self) -> str:
        return segmentation.index_text(self.title)

    def search_text(self) -> str:
        return segmentation.index_text(
            get_text_for_indexing(self.intro),
            self.source,
            *(commitment.search_text() for commitment in self.commitments.all()),
        )


class Commitment(Orderable):
    page = ParentalKey(
        CommitmentPage,
        verbose_name=_("所属页面"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    key = models.SlugField(
        _("标识"),
        max_length=60,
        help_text=_("供系统引用的英文标识，例如 planned-outage-notice；发布后请勿修改。"),
    )
    category = models.CharField(
        _("类别"),
        max_length=20,
        choices=CommitmentCategory.choices,
        default=CommitmentCategory.BUSINESS,
    )
    service_item = models.CharField(_("服务项目"), max_length=120)
    limit_value = models.PositiveIntegerField(_("时限数值"), null=True, blank=True)
    limit_unit = models.CharField(
        _("时限单位"), max_length=20, choices=TimeLimitUnit.choices, default=TimeLimitUnit.HOURS
    )
    requirement = models.TextField(_("时限要求"), help_text=_("按原文填写的完整承诺。"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("service_item"), FieldPanel("key")]),
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("limit_value"), FieldPanel("limit_unit")]),
        FieldPanel("requirement"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        constraints = [
            models.UniqueConstraint(fields=["page", "key"], name="commitment_key_unique_per_page"),
        ]

    def __str__(self) -> str:
        return f"{self.service_item}（{self.limit_display}）"

    def clean(self):
        super().clean()
        if self.limit_unit == TimeLimitUnit.IMMEDIATE:
            if self.limit_value is not None:
                raise ValidationError({"limit_value": _("“即时”办理不需要填写时限数值。")})
        elif not self.limit_value:
            raise ValidationError({"limit_value": _("请填写大于0的时限数值，或将单位选为“即时”。")})

    def search_text(self) -> str:
        """The row as residents read it: 退费办理：…（1个工作日内）."""
        return (
            f"{self.get_category_display()} {self.service_item}：{self.requirement}"
            f"（{self.limit_display}） {self.note}"
        )

    @property
    def is_immediate(self) -> bool:
        return self.limit_unit == TimeLimitUnit.IMMEDIATE

    @property
    def limit_display(self) -> str:
        if self.is_immediate:
            return str(TimeLimitUnit.IMMEDIATE.label)
        return f"{self.limit_value}{self.get_limit_unit_display()}内"

    @property
    def duration(self) -> timedelta | None:
        """The limit as elapsed time; None for 即时 and for working days, which need the
        working-day calendar rather than a fixed length."""
        if self.limit_value is None:
            return None
        match self.limit_unit:
            case TimeLimitUnit.MINUTES:
                return timedelta(minutes=self.limit_value)
            case TimeLimitUnit.HOURS:
                return timedelta(hours=self.limit_value)
            case TimeLimitUnit.DAYS:
                return timedelta(days=self.limit_value)
        return None
