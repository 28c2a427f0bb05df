"""The 年度报告 column: the yearly 信息公开工作年度报告 and the heating season's quality page.

Both show figures computed from the records (reports.figures, reports.season), never typed in.
Computing them takes a few aggregate queries; a page view must not: the figures are stored on
the page when it is published (reports.signal_handlers) and, once its year or season is over
(`final`), every view reads them from there. While the period is still running the stored
figures would go stale, so a view reads figures computed at most FIGURES_CACHE_SECONDS ago
(the cache), and the daily job (reports.tasks) stores the final ones when the period ends.
The narrative sections are the staff's, edited and approved like any page (the 内容审核
workflow on the whole tree)."""

from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from catalogue.columns import Column
from catalogue.models import CatalogueSection, DisclosedPage
from chinese_text import segmentation
from core import page_cache
from core.formatting import format_datetime
from core.pages import BasePage
from home.models import HomePage
from reports.figures import AnnualFigures, compute_year
from reports.periods import Period
from reports.presentation import season_charts
from reports.season import SeasonFigures, compute_period

FIGURES_CACHE_SECONDS = 600
NARRATIVE_FEATURES = ["bold", "link", "ol", "ul"]
FIGURES_FIELDS = ("figures", "figures_computed_at")


class ReportIndexPage(CatalogueSection, BasePage):
    """年度报告: the disclosure column of the yearly reports and the seasons' quality pages."""

    catalogue_column = Column.REPORTS

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = ["reports.AnnualReportPage", "reports.SeasonQualityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("年度报告栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["annual_reports"] = (
            AnnualReportPage.objects.child_of(self)
            .live()
            .only("title", "url_path", "year", "search_description")
            .order_by("-year")
        )
        context["seasons"] = (
            SeasonQualityPage.objects.child_of(self)
            .live()
            .only("title", "url_path", "season_start", "search_description")
            .order_by("-season_start")
        )
        return context


class FiguresPage(models.Model):
    """A page showing figures computed for a period of days, stored when it is published."""

    figures = models.JSONField(null=True, blank=True, editable=False)
    figures_computed_at = models.DateTimeField(null=True, blank=True, editable=False)

    figures_class: type

    class Meta:
        abstract = True

    def figures_period(self) -> Period:
        raise NotImplementedError

    def compute_figures(self, now):
        raise NotImplementedError

    def stored_figures_fit(self) -> bool:
        """The stored figures are those of the period the page now has."""
        raise NotImplementedError

    def _cache_key(self) -> str:
        period = self.figures_period()
        return f"reports:figures:v2:{self.pk}:{period.first_day}:{period.last_day}"

    def current_figures(self):
        """The final figures stored on the page, else figures at most FIGURES_CACHE_SECONDS old."""
        if self.figures and self.figures.get("final") and self.stored_figures_fit():
            return self.figures_class.from_json(self.figures)
        # Kept with the time they were computed, and judged by this clock as well as by the
        # cache's: a cache server's clock (Redis) is not the application's.
        key, now = self._cache_key(), timezone.now()
        entry = cache.get(key)
        if entry is None or now.timestamp() - entry["at"] >= FIGURES_CACHE_SECONDS:
            entry = {"at": now.timestamp(), "data": self.compute_figures(now).to_json()}
            cache.set(key, entry, FIGURES_CACHE_SECONDS)
        return self.figures_class.from_json(entry["data"])

    def store_figures(self, now=None):
        """Compute the figures and store them on the page (not in a revision), and drop what
        showed the old ones."""
        now = now or timezone.now()
        figures = self.compute_figures(now)
        self.figures, self.figures_computed_at = figures.to_json(), now
        type(self).objects.filter(pk=self.pk).update(
            figures=self.figures, figures_computed_at=self.figures_computed_at
        )
        cache.delete(self._cache_key())
        page_cache.invalidate(page_cache.page_tag(self.pk))
        return figures

    def with_content_json(self, content):
        """Publishing or previewing an older revision keeps the figures stored now."""
        page = super().with_content_json(content)
        for name in FIGURES_FIELDS:
            setattr(page, name, getattr(self, name))
        return page


class AnnualReportPage(DisclosedPage, FiguresPage, BasePage):  # noqa: DJ008 (Page.__str__: the title)
    """信息公开工作年度报告 of a calendar year, in the usual five parts: the staff write parts
    一, 四 and 五; parts 二 and 三 are the figures."""

    year = models.PositiveSmallIntegerField(
        _("年度"), help_text=_("报告所述的公历年度，如2025。统计口径为北京时间1月1日至12月31日。")
    )
    overview = RichTextField(
        _("一、总体情况"),
        blank=True,
        features=NARRATIVE_FEATURES,
        help_text=_("全年信息公开工作的总体情况，显示在统计数据之前。"),
    )
    problems = RichTextField(
        _("四、存在的主要问题及改进情况"), blank=True, features=NARRATIVE_FEATURES
    )
    other_matters = RichTextField(
        _("五、其他需要报告的事项"), blank=True, features=NARRATIVE_FEATURES
    )

    figures_class = AnnualFigures

    content_panels = [
        *Page.content_panels,
        FieldPanel("year"),
        FieldPanel("overview"),
        HelpPanel(
            _(
                "二、主动公开情况和三、收到和处理投诉建议情况由系统根据发布记录、停供通知、推送记录和服务诉求自动统计，"
                "发布时计算并保存；年度尚未结束时，页面显示每10分钟更新的数据。"
            )
        ),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_title", boost=2),
        index.SearchField("search_text"),
    ]
    parent_page_types = ["reports.ReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("信息公开工作年度报告")

    def clean(self):
        super().clean()
        if self.year and not 2000 <= self.year <= timezone.localdate().year:
            raise ValidationError({"year": _("年度应在2000年至今年之间。")})
        others = AnnualReportPage.objects.filter(year=self.year).exclude(pk=self.pk)
        if self.year and others.exists():
            raise ValidationError({"year": _("%d年度的报告已经存在。") % self.year})

    def figures_period(self) -> Period:
        return Period.year(self.year)

    def compute_figures(self, now) -> AnnualFigures:
        return compute_year(self.year, now)

    def stored_figures_fit(self) -> bool:
        return self.figures.get("year") == self.year

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(figures_context(self, request))
        return context

    def search_title(self) -> str:
        return segmentation.index_text(self.title)

    def search_text(self) -> str:
        return segmentation.index_text(
            *(
                get_text_for_indexing(text)
                for text in (self.overview, self.problems, self.other_matters)
            )
        )


class SeasonQualityPage(DisclosedPage, FiguresPage, BasePage):  # noqa: DJ008 (Page.__str__: the title)
    """A heating season's quality: 室温达标率, outage hours by cause, response times against the
    commitments, with charts; a feed item for each month once it is over (ClosedMonth)."""

    season_start = models.DateField(_("供热期开始日期"))
    season_end = models.DateField(_("供热期结束日期"))
    intro = RichTextField(_("导语"), blank=True, features=NARRATIVE_FEATURES)

    figures_class = SeasonFigures

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("season_start"), FieldPanel("season_end")])],
            heading=_("供热期"),
            help_text=_("统计供热期内（北京时间，含首尾两日）的测温、停供和服务诉求记录。"),
        ),
        FieldPanel("intro"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("search_title", boost=2)]
    parent_page_types = ["reports.ReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("供热质量")

    def clean(self):
        super().clean()
        if self.season_start and self.season_end:
            if self.season_end <= self.season_start:
                raise ValidationError({"season_end": _("结束日期必须晚于开始日期。")})
            if (self.season_end - self.season_start).days > 366:
                raise ValidationError({"season_end": _("供热期不能超过一年。")})

    def figures_period(self) -> Period:
        return Period(self.season_start, self.season_end)

    def compute_figures(self, now) -> SeasonFigures:
        return compute_period(self.figures_period(), now)

    def stored_figures_fit(self) -> bool:
        return (
            self.figures.get("first_day") == self.season_start.isoformat()
            and self.figures.get("last_day") == self.season_end.isoformat()
        )

    def closed_month_records(self):
        return ClosedMonth.objects.filter(season=self).order_by("-month")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(figures_context(self, request))
        context["charts"] = season_charts(context["figures"])
        context["closed_months"] = [
            (record, record.month_figures()) for record in self.closed_month_records()
        ]
        context["feed_url"] = context["page_url"] + "months.rss"
        context["atom_url"] = context["page_url"] + "months.atom"
        return context

    def search_title(self) -> str:
        return segmentation.index_text(self.title)


def figures_context(page: FiguresPage, request) -> dict:
    figures = page.current_figures()
    url = page.get_url(request)
    return {
        "figures": figures,
        "page_url": url,
        "csv_url": url + "figures.csv",
        "computed_at": format_datetime(datetime.fromisoformat(figures.computed_at)),
    }


class ClosedMonth(models.Model):
    """A month of a season, its figures stored once when it is over (reports.tasks): the
    month's item in the season's feed. Never recomputed, so the feed item does not change."""

    season = models.ForeignKey(
        SeasonQualityPage,
        verbose_name=_("供热期"),
        on_delete=models.CASCADE,
        related_name="closed_months",
    )
    month = models.DateField(_("月份"))  # the first of the month
    figures = models.JSONField(_("统计数据"))
    closed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("供热质量月度数据")
        verbose_name_plural = _("供热质量月度数据")
        constraints = [
            models.UniqueConstraint(fields=["season", "month"], name="reports_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.season_id} {self.month:%Y-%m}"

    def month_figures(self) -> SeasonFigures:
        return SeasonFigures.from_json(self.figures)
