from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from catalogue.columns import Column
from catalogue.models import CatalogueSection, DisclosedPage
from core.pages import BasePage
from fees import calculations
from fees.enums import Calculator, RuleTopic
from home.models import HomePage

HUNDRED = Decimal(100)


def _percent_field(label, help_text=""):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


def _price_field(label, help_text=""):
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=help_text,
    )


def _metres_field(label, help_text=""):
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=help_text,
    )


class FeeCalculatorPage(CatalogueSection, DisclosedPage, RoutablePageMixin, BasePage):
    """热费计算: the calculators, each a route answering GET (a form, pre-filled from the query
    string) and POST (the result with its working). The rules come from the current season,
    a child `FeeSeasonPage`."""

    catalogue_column = Column.FEES

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = ["fees.FeeSeasonPage"]
    max_count = 1

    class Meta:
        verbose_name = _("热费计算器")

    def seasons(self):
        return FeeSeasonPage.objects.child_of(self).live().order_by("-starts_on")

    def current_season(self, slug: str = "", today: date | None = None):
        """The season asked for by slug, else the latest one that has started, else the next."""
        seasons = list(self.seasons())
        chosen = next((s for s in seasons if slug and s.slug == slug), None)
        if chosen is None:
            today = today or timezone.localdate()
            chosen = next((s for s in seasons if s.starts_on <= today), None)
        return chosen or (seasons[-1] if seasons else None), seasons

    @path("")
    def index(self, request):
        season, _seasons = self.current_season(request.GET.get("season", ""))
        return self.render(request, context_overrides={"season": season})

    @path("heating/", name="heating")
    def heating(self, request):
        return self._calculator(request, Calculator.HEATING)

    @path("resume/", name="resume")
    def resume(self, request):
        return self._calculator(request, Calculator.RESUME)

    @path("refund/", name="refund")
    def refund(self, request):
        return self._calculator(request, Calculator.REFUND)

    @path("area/", name="area")
    def area(self, request):
        return self._calculator(request, Calculator.AREA)

    def _calculator(self, request, calculator: Calculator):
        from fees.views import calculator_response

        slug = request.POST.get("season") or request.GET.get("season", "")
        season, seasons = self.current_season(slug)
        if season is None:
            return HttpResponseRedirect(self.url)
        return calculator_response(
            request,
            self,
            calculator,
            season,
            seasons,
            unknown_season=bool(slug) and season.slug != slug,
        )

    def calculator_url(self, calculator: Calculator) -> str:
        return self.url + self.reverse_subpage(calculator.value)

    def render_calculator(self, request, template, context, status):
        context = {**self.get_context(request), **context}
        return TemplateResponse(request, template, context, status=status)


class FeeSeasonForm(WagtailAdminPageForm):
    """Checks the refund bands as a whole: a temperature must fall in at most one band."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("refund_bands")
        if formset is None or not formset.is_valid():
            return cleaned
        bands = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not bands:
            raise ValidationError(_("请至少填写一个室温不达标退费档次。"))
        for band in bands:
            lower = band.get("lower_celsius")
            if lower is not None and lower >= band["upper_celsius"]:
                raise ValidationError(
                    _("退费档次“%(label)s”的下限必须低于上限。"), params={"label": band["label"]}
                )
        ordered = sorted(bands, key=lambda b: b["upper_celsius"])
        for colder, warmer in pairwise(ordered):
            if (
                warmer.get("lower_celsius") is None
                or warmer["lower_celsius"] < colder["upper_celsius"]
            ):
                raise ValidationError(
                    _("退费档次“%(a)s”和“%(b)s”的温度范围重叠。"),
                    params={"a": colder["label"], "b": warmer["label"]},
                )
        return cleaned


class FeeSeasonPage(DisclosedPage, BasePage):
    """One heating season's published fee and refund rules, edited as data. The calculators
    build `fees.calculations` rules from the live season; its own page shows them as a table."""

    starts_on = models.DateField(_("供热期开始"))
    ends_on = models.DateField(_("供热期结束"))
    season_days = models.PositiveSmallIntegerField(
        _("计费天数"),
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("按天折算热费时的供热期天数，如长春167天、曲阜120天。"),
    )
    residential_price = _price_field(_("居民住宅热价（元/㎡）"))
    non_residential_price = _price_field(_("非居民热价（元/㎡）"))
    high_ceiling_threshold = _metres_field(
        _("加价起点层高（米）"), _("工业企业、学校及经营性房屋结构层高超过此高度时加价。")
    )
    high_ceiling_unit = _metres_field(_("加价计算单位（米）"), _("不足一个单位按一个单位计算。"))
    high_ceiling_unit_percent = _percent_field(_("每单位加价（%）"))
    high_ceiling_cap_percent = _percent_field(_("最高加价（%）"))
    garage_percent = _percent_field(
        _("公共地下车库热价（非居民热价的%）"), _("只适用于有供热设施的公共地下车库（车位）。")
    )
    garage_threshold = _metres_field(_("车库加价起点层高（米）"))
    garage_surcharge_percent = _percent_field(_("车库超高一次性加价（%）"))
    basic_fee_percent = _percent_field(_("停热基础热费（全额热费的%）"))
    relief_per_sqm = models.DecimalField(
        _("低保减免（元/㎡）"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=_("没有减免政策填0。"),
    )
    refund_exclusions = models.TextField(
        _("不予退费的情形"), blank=True, help_text=_("每行一条，按规定原文填写。")
    )

    base_form_class = FeeSeasonForm
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("season_days")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("residential_price"), FieldPanel("non_residential_price")]
                ),
                FieldPanel("relief_per_sqm"),
                FieldPanel("basic_fee_percent"),
            ],
            _("热价"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("high_ceiling_threshold"), FieldPanel("high_ceiling_unit")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("high_ceiling_unit_percent"),
                        FieldPanel("high_ceiling_cap_percent"),
                    ]
                ),
            ],
            _("工业企业、学校及经营性房屋层高加价"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("garage_percent"),
                FieldRowPanel(
                    [FieldPanel("garage_threshold"), FieldPanel("garage_surcharge_percent")]
                ),
            ],
            _("公共地下车库"),
        ),
        InlinePanel("refund_bands", label=_("室温不达标退费档次"), min_num=1),
        FieldPanel("refund_exclusions"),
        InlinePanel("rule_sources", label=_("规定出处（计算步骤链接到的问答或条文）")),
    ]
    parent_page_types = ["fees.FeeCalculatorPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("供热期收费标准")
        verbose_name_plural = _("供热期收费标准")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("供热期结束日期必须晚于开始日期。")})
        if self.high_ceiling_unit_percent and self.high_ceiling_cap_percent is not None:
            if self.high_ceiling_cap_percent < self.high_ceiling_unit_percent:
                raise ValidationError(
                    {"high_ceiling_cap_percent": _("最高加价不能低于每单位加价。")}
                )

    def fee_rules(self) -> calculations.FeeRules:
        return calculations.FeeRules(
            residential_price=self.residential_price,
            non_residential_price=self.non_residential_price,
            high_ceiling_threshold=self.high_ceiling_threshold,
            high_ceiling_unit=self.high_ceiling_unit,
            high_ceiling_unit_surcharge=self.high_ceiling_unit_percent / HUNDRED,
            high_ceiling_cap=self.high_ceiling_cap_percent / HUNDRED,
            garage_ratio=self.garage_percent / HUNDRED,
            garage_threshold=self.garage_threshold,
            garage_surcharge=self.garage_surcharge_percent / HUNDRED,
            basic_fee_ratio=self.basic_fee_percent / HUNDRED,
            season_days=self.season_days,
            relief_per_sqm=self.relief_per_sqm,
        )

    @cached_property
    def bands(self) -> list["RefundBandRule"]:
        return sorted(self.refund_bands.all(), key=lambda band: band.upper_celsius, reverse=True)

    def refund_rules(self) -> calculations.RefundRules:
        return calculations.RefundRules(
            season_days=self.season_days,
            bands=tuple(band.as_rule() for band in self.bands),
            exclusions=tuple(self.exclusions),
        )

    @property
    def exclusions(self) -> list[str]:
        return [line.strip() for line in self.refund_exclusions.splitlines() if line.strip()]

    @cached_property
    def sources(self) -> dict[str, "RuleSource"]:
        return {source.topic: source for source in self.rule_sources.select_related("page")}

    def source_for(self, rule: str):
        """The editor-chosen source of a calculation step's rule key, if any."""
        topic = topic_for(rule)
        return self.sources.get(topic) if topic else None


class RefundBandRule(Orderable):
    season = ParentalKey(FeeSeasonPage, related_name="refund_bands", on_delete=models.CASCADE)
    lower_celsius = models.DecimalField(
        _("室温下限（℃，含）"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("最低一档留空。"),
    )
    upper_celsius = models.DecimalField(_("室温上限（℃，不含）"), max_digits=4, decimal_places=1)
    percent = models.DecimalField(
        _("按日退费额的（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    label = models.CharField(_("说明"), max_length=40, help_text=_("如“在14—16℃之间”。"))

    panels = [
        FieldRowPanel(
            [FieldPanel("lower_celsius"), FieldPanel("upper_celsius"), FieldPanel("percent")]
        ),
        FieldPanel("label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("退费档次")

    @property
    def rule_key(self) -> str:
        return f"refund-band-{self.pk}"

    def as_rule(self) -> calculations.RefundBand:
        return calculations.RefundBand(
            lower=self.lower_celsius,
            upper=self.upper_celsius,
            ratio=self.percent / HUNDRED,
            rule=self.rule_key,
            label=self.label,
        )


class RuleSource(Orderable):
    """Where a rule is published: a FAQ answer or a regulation, optionally an anchor in it."""

    season = ParentalKey(FeeSeasonPage, related_name="rule_sources", on_delete=models.CASCADE)
    topic = models.CharField(_("规定"), max_length=30, choices=RuleTopic.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("出处页面"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    anchor = models.SlugField(
        _("页内锚点"),
        max_length=40,
        blank=True,
        help_text=_("链接到条文时填写，如第三条填 article-3；问答页面留空。"),
    )

    panels = [FieldPanel("topic"), FieldPanel("page"), FieldPanel("anchor")]

    class Meta(Orderable.Meta):
        verbose_name = _("规定出处")
        constraints = [
            models.UniqueConstraint(fields=["season", "topic"], name="fees_one_source_per_topic")
        ]

    def url(self, request) -> str:
        url = self.page.get_url(request)
        return f"{url}#{self.anchor}" if url and self.anchor else url


_TOPIC_ALIASES = {"garage-high-ceiling": RuleTopic.GARAGE, "resume-credit": RuleTopic.RESUME}


def topic_for(rule: str) -> str | None:
    """The rule topic a calculation step's rule key belongs to (refund-* → refund)."""
    if rule.startswith("refund"):
        return RuleTopic.REFUND
    if rule in _TOPIC_ALIASES:
        return _TOPIC_ALIASES[rule]
    return rule if rule in RuleTopic.values else None
