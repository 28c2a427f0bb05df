"""The 信息公开 section: the catalogue page, the columns' own pages and the page types only the
catalogue has, and the record of each column's review.

The tree: 首页 → 信息公开 (CataloguePage, one per site) → 单位概况 (OrganisationProfilePage) and
the 栏目页 of the columns without a section of their own (ColumnPage: 办事指南, 安全常识,
投诉渠道, 信息公开指南) → under 办事指南 one ServiceGuidePage per matter, under 安全常识 the
SafetyPages. Every page but the catalogue page itself is a disclosed item (DisclosedPage)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Max, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from catalogue import cache_tags as catalogue_tags
from catalogue.columns import RULES, Column
from catalogue.models import CatalogueSection, CatalogueSettings, DisclosedPage
from commitments.lookup import published_commitments
from commitments.models import CommitmentPage
from contacts import cache_tags as contact_tags
from contacts.models import Station
from core import page_cache
from core.pages import BasePage
from disclosure import blocks, sections
from disclosure.forms import ColumnPageForm
from home.models import HomePage

INTRO_FEATURES = ["bold", "link"]
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]
# Responses that quote the published commitments (the guides' time limits) are dropped when
# a commitment page is published again (home.signal_handlers.page_tags).
COMMITMENTS_TAG = f"type:{CommitmentPage._meta.label_lower}"
# The organisation's name and credit code (catalogue.CatalogueSettings) as the profile shows
# them: dropped when the settings are saved (disclosure.signal_handlers).
SETTINGS_TAG = "catalogue-settings"


def _with_commitments(request, context: dict, *streams) -> dict:
    """The published commitments the page's time-limit blocks name, in one query, for the
    blocks to render (blocks.CommitmentLimitBlock)."""
    keys = blocks.commitment_keys(*streams)
    context["guide_commitments"] = published_commitments(keys) if keys else {}
    if keys:
        page_cache.tag(request, COMMITMENTS_TAG)
    return context


class CataloguePage(BasePage):
    """信息公开目录: every column in the measures' order with what it holds, its section and its
    feeds. The figures are the catalogue's records (catalogue.CatalogueItem)."""

    intro = RichTextField(_("导语"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("信息公开目录")

    @classmethod
    def allowed_subpage_models(cls):
        """The page types that name this page as their parent (the columns' pages, and those of
        other apps, e.g. the yearly reports); not Wagtail's plain Page, which names none."""
        return [model for model in super().allowed_subpage_models() if model is not Page]

    def route(self, request, path_components):
        """A page below, at any depth, in one query by its address (Wagtail asks two per
        level): a guide sits three levels below the home page."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = Page.objects.filter(url_path=url_path).first()
            if found is not None:
                return found.specific.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_cache.tag(request, catalogue_tags.CATALOGUE, *sections.section_types())
        context["columns"] = sections.catalogue(self.home_path())
        return context

    def home_path(self) -> str:
        """The tree path of the page this one is under (the site's home page)."""
        return self.path[: -self.steplen]


class ColumnPage(DisclosedPage, CatalogueSection, BasePage):
    """栏目页: the section of a column that has no index page of its own, its column chosen by
    the editors (one 栏目页 per column and site). The page is itself a disclosed item: 投诉渠道's
    or 信息公开指南's text is what the column publishes."""

    column = models.CharField(
        _("栏目"),
        max_length=20,
        choices=Column.choices,
        help_text=_("每个栏目只设一个栏目页；已有自己栏目页的栏目（如服务承诺）不在此设置。"),
    )
    intro = RichTextField(_("导语"), blank=True, features=INTRO_FEATURES)
    body = StreamField(blocks.COLUMN_BODY_BLOCKS, verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("column"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = [CataloguePage]
    subpage_types = ["disclosure.ServiceGuidePage", "disclosure.SafetyPage"]
    base_form_class = ColumnPageForm

    class Meta:
        verbose_name = _("信息公开栏目页")

    @property
    def catalogue_column(self) -> str:
        return self.column

    def clean(self):
        super().clean()
        parent = self.get_parent()  # None while the admin's form checks a page not yet added
        if parent is not None:
            message = column_conflict(self.column, parent, exclude_pk=self.pk)
            if message:
                raise ValidationError({"column": message})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["column_description"] = RULES[self.column].description if self.column else ""
        context["children"] = self.get_children().live().order_by("path")
        # The publications table links each column to its entry in the catalogue (this page's
        # parent), which leads on to the column's section: no query.
        url = self.get_url(request) or ""
        context["catalogue_url"] = url.rstrip("/").rsplit("/", 1)[0] + "/" if url else ""
        return _with_commitments(request, context, self.body)


def column_conflict(column: str, catalogue_page: Page, exclude_pk=None) -> str:
    """Why a 栏目页 of `column` cannot go under `catalogue_page`: another 栏目页 of the column
    in the site, or a section page of another type already giving it. "" when it can."""
    if not column:
        return ""
    taken = ColumnPage.objects.child_of(catalogue_page).filter(column=column)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    other = taken.first()
    if other is not None:
        return _("“%(column)s”栏目已有栏目页《%(title)s》。") % {
            "column": Column(column).label,
            "title": other.title,
        }
    home_path = catalogue_page.path[: -catalogue_page.steplen]
    section = sections.column_sections(home_path).get(column)
    if (
        section is not None
        and section.pk != exclude_pk
        and section.specific_class is not ColumnPage
    ):
        return _("“%(column)s”栏目的栏目页是《%(title)s》，不需要另设。") % {
            "column": Column(column).label,
            "title": section.title,
        }
    return ""


def under_column(parent: Page, column: str) -> bool:
    """Whether `parent` is the 栏目页 of `column`: safety advice and guides belong under their
    own column's page only."""
    specific = parent.specific_deferred
    return isinstance(specific, ColumnPage) and specific.column == column


class OrganisationProfilePage(DisclosedPage, CatalogueSection, BasePage):
    """单位概况. The name and 统一社会信用代码 are the catalogue settings' (信息公开设置), which
    every 索引号 is built from: shown here, never kept twice. The numbers of stations and
    communities are the directory's."""

    catalogue_column = Column.PROFILE.value

    address = models.CharField(_("注册地址"), max_length=160, blank=True)
    licence_number = models.CharField(_("供热经营许可证编号"), max_length=60, blank=True)
    licence_issuer = models.CharField(_("发证机关"), max_length=80, blank=True)
    licence_issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    licence_valid_until = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("长期有效的留空。")
    )
    heating_area = models.DecimalField(
        _("供热面积（万平方米）"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    service_area = models.TextField(
        _("供热范围"), blank=True, help_text=_("如“朝阳区、南关区全境，绿园区皓月大路以北”。")
    )
    body = RichTextField(_("企业简介"), blank=True, features=BODY_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("address"),
        MultiFieldPanel(
            [
                FieldPanel("licence_number"),
                FieldPanel("licence_issuer"),
                FieldRowPanel([FieldPanel("licence_issued_on"), FieldPanel("licence_valid_until")]),
            ],
            heading=_("供热经营许可证"),
        ),
        FieldPanel("heating_area"),
        FieldPanel("service_area"),
        FieldPanel("body"),
    ]
    parent_page_types = [CataloguePage]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("单位概况")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_cache.tag(request, SETTINGS_TAG, contact_tags.DIRECTORY)
        context["profile"] = profile_figures(Site.find_for_request(request))
        return context


def profile_figures(site: Site | None) -> dict:
    """The organisation's name and credit code (the site's catalogue settings) and the
    directory's size (stations, the branches they belong to, communities and the households
    recorded for them), in one query: the settings ride along as scalar subqueries."""
    settings = CatalogueSettings.objects.filter(site=site)
    return Station.objects.aggregate(
        organisation=Max(Subquery(settings.values("organisation")[:1])),
        credit_code=Max(Subquery(settings.values("credit_code")[:1])),
        station_count=Count("pk", distinct=True),
        branch_count=Count("branch", distinct=True),
        community_count=Count("communities", distinct=True),
        household_count=Sum("communities__households"),
    )


class SafetyPage(DisclosedPage, BasePage):
    """安全常识: advice, each with a heading, its text and an optional picture."""

    parent_column = Column.SAFETY.value

    intro = RichTextField(_("导语"), blank=True, features=INTRO_FEATURES)
    advice = StreamField([("advice", blocks.AdviceBlock())], verbose_name=_("安全提示"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("advice"),
    ]
    parent_page_types = [ColumnPage]
    subpage_types = []

    class Meta:
        verbose_name = _("安全常识")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and under_column(parent, cls.parent_column)

    def can_move_to(self, parent):
        return super().can_move_to(parent) and under_column(parent, self.parent_column)


class ServiceGuidePage(DisclosedPage, BasePage):
    """办事指南 of one matter (报装, 报停, 复供, 测温, 缴费, 发票): who may apply, the materials,
    the steps, where and how, the fees, and the time limits, which are the published commitments
    chosen by key (blocks.CommitmentLimitBlock), so a changed promise changes the guide."""

    parent_column = Column.GUIDES.value

    intro = RichTextField(_("导语"), blank=True, features=INTRO_FEATURES)
    applicants = models.TextField(_("办理对象"), blank=True)
    materials = StreamField(
        [("material", blocks.MaterialBlock())], verbose_name=_("所需材料"), blank=True
    )
    steps = StreamField([("step", blocks.StepBlock())], verbose_name=_("办理流程"), blank=True)
    channels = StreamField(
        blocks.GUIDE_CHANNEL_BLOCKS, verbose_name=_("办理地点和渠道"), blank=True
    )
    fees = models.TextField(_("收费"), blank=True, help_text=_("不收费的写“不收费”。"))
    time_limits = StreamField(
        [("time_limit", blocks.CommitmentLimitBlock())],
        verbose_name=_("办理时限"),
        blank=True,
        help_text=_("选择服务承诺中的事项：显示的时限始终与已发布的承诺一致。"),
    )
    notes = RichTextField(_("温馨提示"), blank=True, features=BODY_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("applicants"),
        FieldPanel("materials"),
        FieldPanel("steps"),
        FieldPanel("channels"),
        FieldPanel("fees"),
        FieldPanel("time_limits"),
        FieldPanel("notes"),
    ]
    parent_page_types = [ColumnPage]
    subpage_types = []

    class Meta:
        verbose_name = _("办事指南")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and under_column(parent, cls.parent_column)

    def can_move_to(self, parent):
        return super().can_move_to(parent) and under_column(parent, self.parent_column)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return _with_commitments(request, context, self.time_limits)


# Column review -------------------------------------------------------------------------------


class ColumnReview(models.Model):
    """A column's review period and its last review (disclosure.review). A column without a row
    has the default period and has never been reviewed."""

    DEFAULT_DAYS = 20

    column = models.CharField(_("栏目"), max_length=20, choices=Column.choices, unique=True)
    review_days = models.PositiveSmallIntegerField(
        _("审核期限（工作日）"),
        default=DEFAULT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("栏目内容变更后，须在此数量的工作日内审核。"),
    )
    reviewed_at = models.DateTimeField(_("最近审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("栏目审核")
        verbose_name_plural = _("栏目审核")
        permissions = [("review_column", _("审核信息公开栏目"))]

    def __str__(self):
        return str(Column(self.column).label)


class ReviewReminder(models.Model):
    """One e-mail about an overdue column on one day: the daily job writes the row before it
    sends, under the unique constraint, so a second run that day sends nothing again."""

    column = models.CharField(_("栏目"), max_length=20, choices=Column.choices)
    day = models.DateField(_("日期"))
    sent_at = models.DateTimeField(_("发送时间"))
    recipients = models.PositiveSmallIntegerField(_("收件人数"), default=0)

    class Meta:
        verbose_name = _("栏目审核提醒")
        verbose_name_plural = _("栏目审核提醒")
        constraints = [
            models.UniqueConstraint(fields=["column", "day"], name="one_review_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.column} {self.day}"
