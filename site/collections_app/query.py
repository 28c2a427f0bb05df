"""A collection's saved query over the disclosure catalogue, and the items it selects.

Items are the catalogue's records (`CatalogueItem`, in the catalogue now), rendered from their
snapshots as the column feeds, the change API and the exports render them; the criteria read the
live pages behind them. Criteria of different kinds narrow each other; the values of one kind
are alternatives (停水 or 停气). Utility, state and places apply to outage notices only: a
collection that names one holds nothing else. A place is a community, or every community of a
station or of a branch's stations; a notice is in it when it affects one of them. The window
holds a notice whose outage overlaps its days, and any other item disclosed (发布日期) on one
of them.

Everything is one SQL query (subqueries), whatever the number of notices and communities."""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalogue.columns import Column
from catalogue.models import CatalogueItem
from collections_app import windows
from collections_app.windows import Span, Window
from contacts.models import Branch, Community, Station
from notices.enums import OPEN_STATES, NoticeState, Utility
from notices.models import OutageNoticePage

NOTICE_TYPE = OutageNoticePage._meta.label_lower
KEYWORD_MAX_LENGTH = 40
PLACE_FIELDS = ("branches", "stations", "communities")


@dataclass(frozen=True)
class Place:
    kind: str  # "branch", "station" or "community"
    pk: int
    name: str
    code: str = ""  # a community's code


@dataclass(frozen=True)
class CollectionQuery:
    page_types: tuple[str, ...] = ()  # "app_label.model" of disclosed page types
    columns: tuple[str, ...] = ()
    utilities: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    window: str = Window.ALL
    keyword: str = ""

    @classmethod
    def of(cls, page) -> "CollectionQuery":
        """The query a collection page saves (one query for its places)."""
        return cls(
            page_types=tuple(page.page_types or ()),
            columns=tuple(page.columns or ()),
            utilities=tuple(page.utilities or ()),
            states=tuple(page.states or ()),
            places=tuple(places_of(page)),
            window=page.window or Window.ALL,
            keyword=(page.keyword or "").strip(),
        )

    def pks(self, kind: str) -> list[int]:
        return [place.pk for place in self.places if place.kind == kind]

    @property
    def notices_only(self) -> bool:
        """Utility, state and places are criteria of outage notices only."""
        return bool(self.utilities or self.states or self.places)

    def problems(self) -> dict[str, str]:
        """Criteria that cannot hold anything together, by field: what the admin refuses."""
        problems = {}
        if self.notices_only and self.page_types and NOTICE_TYPE not in self.page_types:
            problems["page_types"] = _(
                "停供类型、通知状态和范围只适用于停供通知：请在“内容类型”中勾选“停供通知”，或清除这些条件。"
            )
        if self.notices_only and self.columns and Column.OUTAGES not in self.columns:
            problems["columns"] = _(
                "停供类型、通知状态和范围只适用于“停供信息”栏目的停供通知：请勾选该栏目，或清除这些条件。"
            )
        return problems

    # The selection

    def items(self, now: datetime) -> QuerySet:
        """The catalogue's items the query selects at `now`, most recently changed first."""
        items = CatalogueItem.objects.filter(in_catalogue=True)
        if self.columns:
            items = items.filter(column__in=self.columns)
        if self.page_types:
            items = items.filter(page_id__in=pages_of_types(self.page_types))
        days = windows.span(self.window, now)
        if self.notices_only:
            items = items.filter(page_id__in=self.notices(days).values("pk"))
        elif days:
            others = ~Q(page_id__in=OutageNoticePage.objects.values("pk")) & Q(
                disclosed_on__gte=days.first.isoformat(), disclosed_on__lte=days.last.isoformat()
            )
            # Cast: a key's own lookups would compare JSON values, not the ISO dates as text.
            disclosed_on = Cast(KT("snapshot__disclosed_on"), CharField())
            items = items.alias(disclosed_on=disclosed_on).filter(
                Q(page_id__in=self.notices(days).values("pk")) | others
            )
        if self.keyword:
            items = items.alias(title=KT("snapshot__title"), summary=KT("snapshot__summary"))
            items = items.filter(
                Q(title__icontains=self.keyword) | Q(summary__icontains=self.keyword)
            )
        return items.order_by("-updated_at", "-pk")

    def notices(self, days: Span | None) -> QuerySet:
        """The notices (live or not: the catalogue holds only live ones) the notice criteria
        select; an outage in the window when it overlaps its days, or, with no known end, is
        still open."""
        notices = OutageNoticePage.objects.all()
        if self.utilities:
            notices = notices.filter(utility__in=self.utilities)
        if self.states:
            notices = notices.filter(state__in=self.states)
        if self.places:
            notices = notices.filter(communities__in=self.communities().values("pk"))
        if days:
            notices = notices.filter(starts_at__lt=days.end).filter(
                Q(starts_at__gte=days.start)
                | Q(current_ends_at__gt=days.start)
                | Q(current_ends_at__isnull=True, state__in=OPEN_STATES)
            )
        return notices

    def communities(self) -> QuerySet:
        """Every community of the places: named, or served by a named station or branch."""
        return Community.objects.filter(
            Q(pk__in=self.pks("community"))
            | Q(station__in=self.pks("station"))
            | Q(station__branch__in=self.pks("branch"))
        )

    # What readers are told

    def criteria(self) -> list[tuple[str, str]]:
        """(name, values) of each criterion set, in Chinese, for the page and the feeds."""
        rows = [
            (_("内容类型"), [type_label(label) for label in self.page_types]),
            (_("目录栏目"), [str(Column(c).label) for c in self.columns if c in Column.values]),
            (_("停供类型"), [str(Utility(u).label) for u in self.utilities if u in Utility.values]),
            (
                _("通知状态"),
                [str(NoticeState(s).label) for s in self.states if s in NoticeState.values],
            ),
            (_("范围"), [place.name for place in self.places]),
            (_("时间"), [str(Window(self.window).label)] if self.window != Window.ALL else []),
            (_("关键词"), [self.keyword] if self.keyword else []),
        ]
        return [(name, "、".join(values)) for name, values in rows if values]

    def describe(self) -> str:
        criteria = self.criteria()
        if not criteria:
            return _("信息公开目录中的全部信息。")
        return "；".join(f"{name}：{values}" for name, values in criteria) + "。"

    def as_json(self, days: Span | None) -> dict:
        return {
            "page_types": list(self.page_types),
            "columns": list(self.columns),
            "utilities": list(self.utilities),
            "states": list(self.states),
            "branches": [p.name for p in self.places if p.kind == "branch"],
            "stations": [p.name for p in self.places if p.kind == "station"],
            "communities": [
                {"code": p.code, "name": p.name} for p in self.places if p.kind == "community"
            ],
            "window": {
                "code": self.window,
                "label": str(Window(self.window).label),
                "first_day": days.first.isoformat() if days else None,
                "last_day": days.last.isoformat() if days else None,
            },
            "keyword": self.keyword,
        }


def pages_of_types(labels) -> QuerySet:
    """The ids of the pages of these types ("app_label.model"), as a subquery."""
    pairs = [label.split(".", 1) for label in labels if "." in label]
    if not pairs:
        return Page.objects.none().values("pk")
    matches = [Q(content_type__app_label=app, content_type__model=model) for app, model in pairs]
    return Page.objects.filter(reduce(or_, matches)).values("pk")


def type_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def places_of(page) -> list[Place]:
    """The branches, stations and communities a collection names, in that order, each by name.
    A page read from the database costs one query for the three; a preview, or a page built in
    memory, has them in memory (modelcluster)."""
    in_memory = getattr(page, "_cluster_related_objects", {})
    if not page.pk or any(name in in_memory for name in PLACE_FIELDS):
        places = [
            *(Place("branch", b.pk, b.name) for b in page.branches.all()),
            *(Place("station", s.pk, s.name) for s in page.stations.all()),
            *(Place("community", c.pk, c.name, c.code) for c in page.communities.all()),
        ]
    else:
        parts = [
            model.objects.filter(collection_pages=page)
            .order_by()
            .values_list(_text(kind), "pk", "name", code)
            for kind, model, code in (
                ("branch", Branch, _text("")),
                ("station", Station, _text("")),
                ("community", Community, "code"),
            )
        ]
        places = [Place(*row) for row in parts[0].union(*parts[1:], all=True)]
    order = {"branch": 0, "station": 1, "community": 2}
    return sorted(places, key=lambda place: (order[place.kind], place.name))


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())
