"""Outage notices. One notice record drives every channel (page, feeds, CAP, iCalendar, JSON and,
through the alerts app, SMS); each channel renders from the notice and its update timeline.

Fields fall in two groups. What the editor writes (utility, times, area, ...) is revisioned like
any page content. The lifecycle (state, effective end, major flag, went-live time) belongs to the
notice as a whole, is changed only by notices.lifecycle.transitions and the publish handler, and is kept when
an older revision is published (see `with_content_json`)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index
from wagtail.url_routing import RouteResult

from catalogue.columns import Column
from catalogue.models import CatalogueSection, DisclosedPage
from chinese_text import segmentation, vocabulary
from contacts.cache_tags import DIRECTORY
from contacts.models import Community, Station
from core import memo, page_cache
from core.pages import BasePage
from core.sections import NOTICE_PAGE, sections
from home.chrome import CHROME_TAG
from home.models import HomePage
from notices import cache_tags, queries
from notices.cache_tags import NOTICES
from notices.enums import NoticeState, OutageKind, UpdateKind, Utility
from notices.forms import NoticePageForm
from notices.maps.geometry import validate_polygon

MAJOR_OUTAGE = timedelta(hours=8)
"""预计停热八小时以上的，及时通过……短信等媒介告知用户 (seed 001): 8 h or more is major."""

ARCHIVE_PAGE_SIZE = 20
# Which notices the list shows for each set of filters, per process (core.memo): kept until a
# notice or the directory (the community filter) changes, or the first listed notice ends.
_current_ids = memo.Memo(NOTICES, DIRECTORY, size=512)
LIFECYCLE_FIELDS = (
    "state",
    "current_ends_at",
    "is_major",
    "went_live_at",
    "restored_at",
    "changed_at",
)


class NoticeIndexPage(CatalogueSection, RoutablePageMixin, BasePage):
    """停水停气停热通知: current and upcoming notices first, past ones in a paginated archive."""

    catalogue_column = Column.OUTAGES

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = ["notices.OutageNoticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("停供通知栏目")

    def route(self, request, path_components):
        """A notice in one query (with what its page shows), not Wagtail's two per level."""
        if len(path_components) == 1 and path_components[0]:
            notice = (
                queries.notices_for_display(OutageNoticePage.objects.child_of(self).live())
                .filter(slug=path_components[0])
                .first()
            )
            if notice is not None:
                return RouteResult(notice)
        return super().route(request, path_components)

    @path("")
    def current(self, request):
        return self._listing(request, archive=False)

    @path("archive/", name="archive")
    def archive(self, request):
        return self._listing(request, archive=True)

    def _listing(self, request, *, archive: bool):
        filters = queries.NoticeFilters.from_query(request.GET)
        # Every notice lives under the one index (max_count = 1): no tree filter, which would
        # keep the database from walking the start-time index (benchmarks/notice_views.py).
        notices = filters.apply(OutageNoticePage.objects.live())
        now = timezone.now()
        page_cache.tag(request, NOTICES)
        context = self.get_context(request)
        if archive:
            paginator = Paginator(queries.past(notices, now), ARCHIVE_PAGE_SIZE)
            page_obj = paginator.get_page(request.GET.get("page"))
            shown = list(page_obj.object_list)
            context.update(notices=shown, page_obj=page_obj, notice_ids=[n.pk for n in shown])
        else:
            # Which notices, from memory or in one light query; the list itself is a fragment
            # (core.fragments) kept until a notice or this page changes, so they are read only
            # then.
            ids = list(
                _current_ids.get(
                    request, filters, lambda: queries.current_and_upcoming_ids(notices, now)
                )
            )
            context.update(notice_ids=ids, notices=SimpleLazyObject(lambda: _in_order(ids)))
        context["list_tags"] = [NOTICES, page_cache.page_tag(self.pk)]
        context["filter_tags"] = [DIRECTORY]  # the districts offered
        context.update(
            archive=archive,
            filters=filters,
            filter_choices=SimpleLazyObject(queries.filter_choices),  # drawn in a fragment
            index_url=self.url,
        )
        return TemplateResponse(request, "notices/notice_index_page.html", context)


def _in_order(ids: list[int]) -> list["OutageNoticePage"]:
    found = OutageNoticePage.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


class OutageNoticePage(DisclosedPage, BasePage):
    utility = models.CharField(
        _("类型"), max_length=10, choices=Utility.choices, default=Utility.HEAT
    )
    kind = models.CharField(
        _("性质"), max_length=10, choices=OutageKind.choices, default=OutageKind.PLANNED
    )
    cause = models.CharField(_("原因"), max_length=120, help_text=_("例如：泵站计划性清洗水箱"))
    area_name = models.CharField(
        _("停供设施或片区"), max_length=120, blank=True, help_text=_("例如：绿园区星宇东泵站")
    )
    district = models.CharField(_("所在区"), max_length=30, blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(
        _("结束时间"), null=True, blank=True, help_text=_("不确定时留空，视为影响8小时以上。")
    )
    end_is_estimate = models.BooleanField(_("结束时间为预计恢复时间"), default=False)
    households = models.PositiveIntegerField(_("影响户数"), null=True, blank=True)
    station = models.ForeignKey(
        Station,
        verbose_name=_("负责供热站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outage_notices",
    )
    contact_phone = models.CharField(
        _("咨询电话"), max_length=30, blank=True, help_text=_("留空则显示负责供热站的电话。")
    )
    boundary_text = models.CharField(
        _("范围（原文）"),
        max_length=300,
        blank=True,
        help_text=_(
            "粘贴公告原文，例如：南至皓月大路，北至西安大路，西至翔运街，东至铁路。保存时自动拆分为四至。"
        ),
    )
    boundary_south = models.CharField(_("南至"), max_length=80, blank=True)
    boundary_north = models.CharField(_("北至"), max_length=80, blank=True)
    boundary_west = models.CharField(_("西至"), max_length=80, blank=True)
    boundary_east = models.CharField(_("东至"), max_length=80, blank=True)
    communities = ParentalManyToManyField(
        Community, verbose_name=_("影响小区"), blank=True, related_name="outage_notices"
    )
    polygon = models.JSONField(
        _("范围多边形（GeoJSON）"),
        null=True,
        blank=True,
        validators=[validate_polygon],
        help_text=_("可选：GeoJSON Polygon，坐标为[经度, 纬度]（WGS84）。"),
    )
    details = RichTextField(_("补充说明"), blank=True, features=["bold", "link", "ol", "ul"])

    state = models.CharField(
        _("状态"),
        max_length=12,
        choices=NoticeState.choices,
        default=NoticeState.SCHEDULED,
        editable=False,
    )
    current_ends_at = models.DateTimeField(_("当前预计结束时间"), null=True, editable=False)
    is_major = models.BooleanField(_("重大停供"), default=True, editable=False, db_index=True)
    major_override = models.BooleanField(
        _("规则设定的重大停供标记"),
        null=True,
        editable=False,
        help_text="set or cleared by a content rule (rules.actions); None: by the expected duration",
    )
    went_live_at = models.DateTimeField(_("实际发布时间"), null=True, editable=False)
    restored_at = models.DateTimeField(_("实际恢复时间"), null=True, editable=False)
    changed_at = models.DateTimeField(
        _("最后变更时间"), default=timezone.now, editable=False, db_index=True
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("utility"), FieldPanel("kind")]),
        FieldPanel("cause"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("end_is_estimate"),
            ],
            heading=_("时间"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("area_name"), FieldPanel("district")]),
                FieldPanel("boundary_text"),
                FieldRowPanel([FieldPanel("boundary_south"), FieldPanel("boundary_north")]),
                FieldRowPanel([FieldPanel("boundary_west"), FieldPanel("boundary_east")]),
                FieldPanel("communities"),
                FieldPanel("households"),
                FieldPanel("polygon"),
            ],
            heading=_("影响范围"),
        ),
        MultiFieldPanel([FieldPanel("station"), FieldPanel("contact_phone")], heading=_("联系")),
        FieldPanel("details"),
        HelpPanel(
            _(
                "发布后如需延长、恢复或取消，请使用“发布进展”，不要直接修改时间：进展会按时间顺序保留在通知上。"
            )
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_title", boost=2),
        index.SearchField("search_text"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []
    base_form_class = NoticePageForm

    class Meta:
        verbose_name = _("停供通知")
        verbose_name_plural = _("停供通知")
        indexes = [models.Index(fields=["state", "starts_at"], name="notice_state_start")]

    def catalogue_summary(self) -> str:
        from notices.presentation import summary

        return summary(self)

    def catalogue_updated_at(self):
        return self.changed_at

    def catalogue_extra(self) -> dict:
        """What a mirror of the 停供信息 column needs beyond the catalogue's fields."""
        moments = {
            "starts_at": self.starts_at,
            "ends_at": self.current_ends_at,
            "restored_at": self.restored_at,
        }
        return {
            "utility": self.utility,
            "kind": self.kind,
            "state": self.state,
            "is_major": self.is_major,
            **{
                key: timezone.localtime(value).isoformat() if value else None
                for key, value in moments.items()
            },
        }

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})

    def save(self, *args, **kwargs):
        self.refresh_lifecycle_derivations()
        super().save(*args, **kwargs)

    def refresh_lifecycle_derivations(self) -> None:
        """The announced end is the latest new end on the timeline, else the editor's end; the
        major flag follows it. Once restored, the effective end is when service came back."""
        announced_end = self.announced_end()
        self.is_major = (
            major(self.starts_at, announced_end)
            if self.major_override is None
            else self.major_override
        )
        self.current_ends_at = (
            self.restored_at if self.state == NoticeState.RESTORED else announced_end
        )

    def announced_end(self, before: "NoticeUpdate | None" = None):
        """The latest new end on the timeline (of the entries before `before`), else the
        editor's end."""
        if not self.pk:
            return self.ends_at
        entries = self.updates.exclude(new_ends_at=None)
        if before is not None:
            entries = entries.filter(pk__lt=before.pk)
        latest = entries.order_by("-occurred_at", "-pk").values_list("new_ends_at", flat=True)
        return latest.first() or self.ends_at

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Notices are children of the index: its URL is ours without the last segment.
        context["index_url"] = self.get_url(request).rstrip("/").rsplit("/", 1)[0] + "/"
        context["sections"] = sections(NOTICE_PAGE, request, self)
        # What the body shows: the notice and the directory's address (in the community links)
        # name it before it is rendered; its communities and station are read (and tagged)
        # only when it is, as a fragment (core.fragments) kept until one of them changes.
        context["body_tags"] = [page_cache.page_tag(self.pk), CHROME_TAG]
        context["shown_tags"] = SimpleLazyObject(
            lambda: [
                *(cache_tags.community(c.code) for c in self.communities.all()),
                *([f"station:{self.station_id}"] if self.station_id else []),
            ]
        )
        page_cache.tag(request, *context["body_tags"])
        return context

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in LIFECYCLE_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    # What every channel shows

    @property
    def duration(self) -> timedelta | None:
        if self.current_ends_at is None:
            return None
        return self.current_ends_at - self.starts_at

    # Labels straight from the enums: Django's get_FOO_display() hashes every lazy label of
    # the field's choices on each call, which dominated the time to render a 50-item feed.

    @property
    def utility_label(self) -> str:
        return str(Utility(self.utility).label)

    @property
    def kind_label(self) -> str:
        return str(OutageKind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(NoticeState(self.state).label)

    @property
    def end_shown_as_estimate(self) -> bool:
        """Once service is back the end is a fact, not an estimate."""
        return self.end_is_estimate and self.state != NoticeState.RESTORED

    @property
    def phone(self) -> str:
        if self.contact_phone:
            return self.contact_phone
        return self.station.phone if self.station else ""

    @property
    def boundaries(self) -> list[tuple[str, str]]:
        sides = (
            ("南至", self.boundary_south),
            ("北至", self.boundary_north),
            ("西至", self.boundary_west),
            ("东至", self.boundary_east),
        )
        return [(label, value) for label, value in sides if value]

    @property
    def boundary_display(self) -> str:
        if self.boundaries:
            return "，".join(f"{label}{value}" for label, value in self.boundaries)
        return self.boundary_text

    @property
    def headline(self) -> str:
        """“停水：绿园区星宇东泵站” — the one-line summary used by feeds, CAP and calendars."""
        place = self.area_name or self.district
        return f"{self.utility_label}：{place}" if place else str(self.utility_label)

    # Search (the search app)

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().prefetch_related("communities")

    def search_title(self) -> str:
        return segmentation.index_text(self.title, names=self.search_place_names())

    def search_text(self) -> str:
        """What the notice says, the names of the communities it affects and their pinyin."""
        communities = list(self.communities.all())
        names = [name for community in communities for name in (community.name, community.aliases)]
        text = segmentation.index_text(
            self.utility_label,
            self.cause,
            self.area_name,
            self.district,
            self.boundary_display,
            get_text_for_indexing(self.details),
            *names,
            names=names,
        )
        return " ".join([text, *(community.search_pinyin() for community in communities)])

    def search_place_names(self) -> list[str]:
        return vocabulary.notice_place_names(
            self.area_name,
            self.district,
            self.boundary_south,
            self.boundary_north,
            self.boundary_west,
            self.boundary_east,
        )


def major(starts_at, ends_at) -> bool:
    """An unknown end counts as major: residents must plan for the worst."""
    if ends_at is None or starts_at is None:
        return True
    return ends_at - starts_at >= MAJOR_OUTAGE


class NoticeUpdate(models.Model):
    """One dated entry of a notice's timeline. Append-only: history is never edited."""

    notice = models.ForeignKey(
        OutageNoticePage, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=UpdateKind.choices)
    occurred_at = models.DateTimeField(_("时间"))
    text = models.TextField(_("说明"), blank=True)
    new_ends_at = models.DateTimeField(_("新的结束时间"), null=True, blank=True)
    state_after = models.CharField(_("更新后状态"), max_length=12, choices=NoticeState.choices)
    automatic = models.BooleanField(_("系统按时自动记录"), default=False)
    author = models.ForeignKey(
        "auth.User",
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知进展")
        verbose_name_plural = _("通知进展")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind_label}（{self.occurred_at:%Y-%m-%d %H:%M}）"

    @property
    def kind_label(self) -> str:
        return str(UpdateKind(self.kind).label)


from notices.partners.models import PartnerEntry, PartnerFeedSource  # noqa: E402,F401  (models of partner feeds)
