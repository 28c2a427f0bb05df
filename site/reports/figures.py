"""The figures of the yearly 信息公开工作年度报告, computed from the records (never typed in).

Each group of figures is one aggregate query (two for the outages, three for the requests),
whatever the number of records; what comes back is a handful of grouped rows. A year is a
calendar year in Beijing time (reports.periods). docs/reports.md says what each figure means;
in short:

- 主动公开 (columns): the pages of each disclosure column first published in the year, live
  or withdrawn since (reports.columns says which page types make a column).
- 停供信息 (outages): the outage notices first published in the year, by utility and by
  cause (as the editor wrote it; the TOP_CAUSES most frequent, the rest as 其他), with their
  durations planned (start → the end first announced) and actual (start → restored, or the
  end announced now while not yet restored), in buckets: under 8 h, 8–24 h, over 24 h, end
  unknown. Cancelled notices count as notices but have no duration.
- 推送 (messages): the delivery ledger's rows (one per message and recipient) by channel, in
  the year they were handed to the provider (or, never handed over, the year their message was
  created), by where they ended: sent, failed, unconfirmed, still open.
- 服务诉求 (requests): the routed requests submitted in the year, by kind and by station (the
  station holding each now), against their deadlines and rated, as servicedesk.compliance
  counts them.
"""

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from alerts.channels import registry
from alerts.enums import DeliveryStatus
from alerts.models import Delivery
from catalogue.columns import Column
from catalogue.models import CatalogueChange, ChangeAction
from notices.enums import Utility
from notices.models import OutageNoticePage
from reports import jsonable
from reports.measures import hours, outage_aggregates, percent, request_aggregates, with_durations
from reports.periods import Period
from servicedesk.enums import RequestKind
from servicedesk.models import ServiceRequest

TOP_CAUSES = 8
OTHER_CAUSES = "其他"


@dataclass(frozen=True)
class ColumnFigure:
    column: str
    label: str
    published: int


@dataclass(frozen=True)
class OutageFigure:
    """Outage notices of one utility, one cause, or all of them."""

    key: str
    label: str
    notices: int = 0
    planned_kind: int = 0  # 计划停
    emergency_kind: int = 0  # 抢修停
    cancelled: int = 0
    actual_hours: float = 0.0
    planned_hours: float = 0.0


@dataclass(frozen=True)
class DurationFigure:
    key: str
    label: str
    planned: int
    actual: int


@dataclass(frozen=True)
class ChannelFigure:
    channel: str
    label: str
    messages: int = 0
    deliveries: int = 0
    sent: int = 0
    failed: int = 0
    unconfirmed: int = 0
    open: int = 0


@dataclass(frozen=True)
class RequestFigure:
    key: str
    label: str
    received: int = 0
    closed: int = 0
    resolve_due: int = 0
    closed_in_time: int = 0
    open_overdue: int = 0
    contact_due: int = 0
    contacted_in_time: int = 0
    ratings: int = 0
    satisfied: int = 0

    @property
    def in_time_rate(self) -> float | None:
        return percent(self.closed_in_time, self.resolve_due)

    @property
    def contact_rate(self) -> float | None:
        return percent(self.contacted_in_time, self.contact_due)

    @property
    def satisfaction_rate(self) -> float | None:
        return percent(self.satisfied, self.ratings)


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    computed_at: str  # ISO 8601
    final: bool  # computed after the year ended: will not change
    columns: list[ColumnFigure]
    outages: OutageFigure
    outages_by_utility: list[OutageFigure]
    outages_by_cause: list[OutageFigure]
    durations: list[DurationFigure]
    messages: list[ChannelFigure]
    requests: RequestFigure
    requests_by_kind: list[RequestFigure]
    requests_by_station: list[RequestFigure]

    def to_json(self) -> dict:
        return jsonable.dump(self)

    @classmethod
    def from_json(cls, data: dict) -> "AnnualFigures":
        return jsonable.load(cls, data)

    @property
    def published_total(self) -> int:
        return sum(column.published or 0 for column in self.columns)

    @property
    def sent_total(self) -> int:
        return sum(channel.sent for channel in self.messages)


def compute_year(year: int, now: datetime) -> AnnualFigures:
    period = Period.year(year)
    start, end = period.bounds()
    by_utility, by_cause, durations, total = outage_figures(start, end)
    requests, by_kind, by_station = request_figures(start, end, now)
    return AnnualFigures(
        year=year,
        computed_at=now.isoformat(),
        final=period.is_over(now),
        columns=column_figures(start, end),
        outages=total,
        outages_by_utility=by_utility,
        outages_by_cause=by_cause,
        durations=durations,
        messages=message_figures(start, end),
        requests=requests,
        requests_by_kind=by_kind,
        requests_by_station=by_station,
    )


def column_figures(start: datetime, end: datetime) -> list[ColumnFigure]:
    """One query, from the catalogue's records: items that entered each column in [start, end)
    (a page published, or published again after a withdrawal)."""
    found = dict(
        CatalogueChange.objects.filter(action=ChangeAction.CREATED, at__gte=start, at__lt=end)
        .values("item__column")
        .annotate(items=Count("item", distinct=True))
        .values_list("item__column", "items")
    )
    return [
        ColumnFigure(column.value, str(column.label), found.get(column.value, 0))
        for column in Column
    ]


def _outage(key: str, label: str, row: dict) -> OutageFigure:
    return OutageFigure(
        key=key,
        label=label,
        notices=row["notices"],
        planned_kind=row["planned_kind"],
        emergency_kind=row["emergency_kind"],
        cancelled=row["cancelled"],
        actual_hours=hours(row["actual_total"]),
        planned_hours=hours(row["planned_total"]),
    )


def outage_figures(start: datetime, end: datetime):
    """Two queries: per utility (with the duration buckets, summed for the whole), per cause."""
    notices = with_durations(
        OutageNoticePage.objects.filter(first_published_at__gte=start, first_published_at__lt=end)
    )
    rows = {
        row["utility"]: row
        for row in notices.values("utility").annotate(**outage_aggregates()).order_by()
    }
    empty = {name: 0 for name in outage_aggregates()} | {
        "actual_total": None,
        "planned_total": None,
    }
    by_utility = [
        _outage(utility.value, str(utility.label), rows.get(utility.value, empty))
        for utility in Utility
    ]
    summed = {
        name: sum((row[name] for row in rows.values() if row[name]), start=type_zero(name))
        for name in empty
    }
    total = _outage("", _("合计"), summed)
    labels = {
        "short": _("8小时以内"),
        "day": _("8至24小时"),
        "long": _("24小时以上"),
        "unknown": _("恢复时间待定"),
    }
    durations = [
        DurationFigure(key, label, summed[f"planned_{key}"], summed[f"actual_{key}"])
        for key, label in labels.items()
    ]
    causes = [
        _outage(row["cause"], row["cause"], row)
        for row in notices.values("cause")
        .annotate(**outage_aggregates())
        .order_by("-notices", F("actual_total").desc(nulls_last=True), "cause")
    ]
    return by_utility, top_causes(causes), durations, total


def type_zero(name: str):
    return timedelta(0) if name.endswith("_total") else 0


def top_causes(causes: list[OutageFigure], top: int = TOP_CAUSES) -> list[OutageFigure]:
    """The `top` most frequent causes and the rest summed as 其他."""
    if len(causes) <= top:
        return causes
    rest = causes[top:]
    other = OutageFigure(
        key=OTHER_CAUSES,
        label=_("其他（%d种原因）") % len(rest),
        notices=sum(c.notices for c in rest),
        planned_kind=sum(c.planned_kind for c in rest),
        emergency_kind=sum(c.emergency_kind for c in rest),
        cancelled=sum(c.cancelled for c in rest),
        actual_hours=round(sum(c.actual_hours for c in rest), 1),
        planned_hours=round(sum(c.planned_hours for c in rest), 1),
    )
    return [*causes[:top], other]


def message_figures(start: datetime, end: datetime) -> list[ChannelFigure]:
    """One query over the delivery ledger, by channel: every registered channel, and any other
    the ledger names (a channel since removed)."""
    deliveries = Delivery.objects.annotate(
        counted_at=Coalesce("handed_over_at", "message__created_at")
    ).filter(counted_at__gte=start, counted_at__lt=end)
    rows = {
        row["message__channel"]: row
        for row in deliveries.values("message__channel")
        .annotate(
            messages=Count("message", distinct=True),
            deliveries=Count("pk"),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count(
                "pk", filter=Q(status__in=(DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP))
            ),
            unconfirmed=Count("pk", filter=Q(status=DeliveryStatus.UNCONFIRMED)),
            open=Count("pk", filter=Q(status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING))),
        )
        .order_by()
    }
    names = [channel.name for channel in registry.registered()]
    names += sorted(set(rows) - set(names))
    figures = []
    for name in names:
        try:
            label = str(registry.get(name).label)
        except LookupError:
            label = name
        row = rows.get(name, {})
        figures.append(
            ChannelFigure(
                channel=name,
                label=label,
                **{k: v for k, v in row.items() if k != "message__channel"},
            )
        )
    return figures


REQUEST_MEASURES = tuple(f.name for f in fields(RequestFigure) if f.name not in ("key", "label"))


def _requests(key: str, label: str, row: dict) -> RequestFigure:
    return RequestFigure(key=key, label=label, **{name: row[name] for name in REQUEST_MEASURES})


def request_figures(start: datetime, end: datetime, now: datetime):
    """Three queries: the whole, by kind (every kind, even without requests), by station."""
    requests = ServiceRequest.objects.routed().filter(submitted_at__gte=start, submitted_at__lt=end)
    aggregates = request_aggregates(now)
    total = _requests("", _("合计"), requests.aggregate(**aggregates))
    empty = dict.fromkeys(aggregates, 0)
    kinds = {row["kind"]: row for row in requests.values("kind").annotate(**aggregates).order_by()}
    by_kind = [
        _requests(kind.value, str(kind.label), kinds.get(kind.value, empty)) for kind in RequestKind
    ]
    by_station = [
        _requests(str(row["station_id"]), row["station__name"], row)
        for row in requests.values("station_id", "station__name")
        .annotate(**aggregates)
        .order_by("station__name")
    ]
    return total, by_kind, by_station
