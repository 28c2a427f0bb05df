"""The heating season's quality figures (供热质量), computed from the records for a span of days:
the whole season for its page, one month of it when the month closes (reports.tasks). Six
queries whatever the number of records; docs/reports.md says what each figure means. In short:

- 室温达标率: the share of measured homes at or above the standard. A home is one service
  request's temperature readings in one month (seed 004 测温办法 measures each room of a home
  apart: one reading per room); the home meets the standard when every room measured that
  month does, since a resident lives in the cold room, not in the average. A room meets it as
  TemperatureReading.meets_standard says (reports.measures.ROOM_MEETS_STANDARD). A home measured
  in two months counts in each; it counts for the station holding the request now.
- 停供时长 by cause: notices published (live or withdrawn since), not cancelled, that start in
  the span, counted in the month they start; hours from the start to restoration (or to the end
  announced now while not yet restored), as in the yearly report (reports.figures).
- 响应时限 (response times against the commitments): the routed requests submitted in the span,
  per kind and per month: contacted within the contact deadline and closed within the resolve
  deadline each was given from the published commitments (servicedesk.kinds names which), as
  servicedesk.compliance counts them, and the average time to first contact.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.lookup import published_commitments
from core.formatting import SHANGHAI
from notices.models import OutageNoticePage
from reports import jsonable
from reports.figures import OutageFigure, RequestFigure, top_causes
from reports.measures import (
    HAPPENED,
    ROOM_MEETS_STANDARD,
    hours,
    outage_aggregates,
    percent,
    request_aggregates,
    with_durations,
)
from reports.periods import Period, month_label
from servicedesk.enums import RequestKind
from servicedesk.kinds import RULES
from servicedesk.models import ServiceRequest, TemperatureReading

REQUEST_MEASURES = tuple(f.name for f in fields(RequestFigure) if f.name not in ("key", "label"))
TO_FIRST_CONTACT = ExpressionWrapper(
    F("first_contact_at") - F("submitted_at"), output_field=DurationField()
)


@dataclass(frozen=True)
class Share:
    """Homes measured and those that met the standard."""

    measured: int = 0
    met: int = 0

    @property
    def rate(self) -> float | None:
        return percent(self.met, self.measured)

    def __add__(self, other: "Share") -> "Share":
        return Share(self.measured + other.measured, self.met + other.met)


@dataclass(frozen=True)
class StationTemperature:
    station: str
    months: list[Share]  # one per month of SeasonFigures.months, in order
    season: Share


@dataclass(frozen=True)
class MonthFigure:
    month: str  # YYYY-MM
    label: str
    homes: Share
    requests: RequestFigure
    outage_notices: int = 0
    outage_hours: float = 0.0


@dataclass(frozen=True)
class KindResponse:
    kind: str
    label: str
    contact_limit: str  # the commitment as published: "24小时内"; "" when none is published
    resolve_limit: str
    requests: RequestFigure
    average_contact_minutes: float | None  # None: nobody contacted yet


@dataclass(frozen=True)
class SeasonFigures:
    first_day: str  # ISO dates, both included
    last_day: str
    computed_at: str
    final: bool  # computed after the span ended: will not change
    months: list[MonthFigure]
    homes: Share
    stations: list[StationTemperature]
    outages: OutageFigure
    causes: list[OutageFigure]
    responses: list[KindResponse]
    response_total: KindResponse

    def to_json(self) -> dict:
        return jsonable.dump(self)

    @classmethod
    def from_json(cls, data: dict) -> "SeasonFigures":
        return jsonable.load(cls, data)

    @property
    def month_labels(self) -> list[str]:
        return [month.label for month in self.months]


def compute_period(period: Period, now: datetime) -> SeasonFigures:
    start, end = period.bounds()
    months = [f"{month:%Y-%m}" for month in period.months()]
    homes_by_month, stations = temperature_figures(start, end, months)
    requests_by_month = _requests_by_month(start, end, now)
    outages_by_month = _outages_by_month(start, end)
    outages, causes = _outages_by_cause(start, end)
    responses, total = response_figures(start, end, now)
    return SeasonFigures(
        first_day=period.first_day.isoformat(),
        last_day=period.last_day.isoformat(),
        computed_at=now.isoformat(),
        final=period.is_over(now),
        months=[
            MonthFigure(
                month=key,
                label=month_label(date.fromisoformat(f"{key}-01")),
                homes=homes_by_month.get(key, Share()),
                requests=requests_by_month.get(key, RequestFigure(key, key)),
                outage_notices=outages_by_month.get(key, (0, 0.0))[0],
                outage_hours=outages_by_month.get(key, (0, 0.0))[1],
            )
            for key in months
        ],
        homes=sum(homes_by_month.values(), Share()),
        stations=stations,
        outages=outages,
        causes=causes,
        responses=responses,
        response_total=total,
    )


def _month_key(value) -> str:
    """TruncMonth's answer (an aware datetime, or a date on some backends) as YYYY-MM."""
    if isinstance(value, datetime):
        value = timezone.localtime(value, SHANGHAI) if timezone.is_aware(value) else value
    return f"{value:%Y-%m}"


def temperature_figures(start, end, months: list[str]):
    """One query: per home and month, the rooms below the standard; then homes counted per
    station and month (as many rows as homes measured, already grouped by the database)."""
    rows = (
        TemperatureReading.objects.filter(measured_at__gte=start, measured_at__lt=end)
        .annotate(month=TruncMonth("measured_at", tzinfo=SHANGHAI))
        .values("request_id", "request__station__name", "month")
        .annotate(below=Count("pk", filter=~ROOM_MEETS_STANDARD))
        .order_by()
    )
    cells: dict[tuple[str, str], Share] = {}
    for row in rows:
        key = (row["request__station__name"], _month_key(row["month"]))
        cells[key] = cells.get(key, Share()) + Share(1, int(row["below"] == 0))
    by_month: dict[str, Share] = {}
    for (_station, month), share in cells.items():
        by_month[month] = by_month.get(month, Share()) + share
    stations = []
    for name in sorted({station for station, _month in cells}):
        shares = [cells.get((name, month), Share()) for month in months]
        stations.append(StationTemperature(name, shares, sum(shares, Share())))
    return by_month, stations


def _request_figure(key: str, label: str, row: dict) -> RequestFigure:
    return RequestFigure(key=key, label=label, **{name: row[name] for name in REQUEST_MEASURES})


def _submitted_in(start, end):
    return ServiceRequest.objects.routed().filter(submitted_at__gte=start, submitted_at__lt=end)


def _requests_by_month(start, end, now) -> dict[str, RequestFigure]:
    """One query."""
    rows = (
        _submitted_in(start, end)
        .annotate(month=TruncMonth("submitted_at", tzinfo=SHANGHAI))
        .values("month")
        .annotate(**request_aggregates(now))
        .order_by()
    )
    return {
        _month_key(row["month"]): _request_figure(
            _month_key(row["month"]), _month_key(row["month"]), row
        )
        for row in rows
    }


def _notices_starting_in(start, end):
    return OutageNoticePage.objects.filter(
        first_published_at__isnull=False, starts_at__gte=start, starts_at__lt=end
    ).filter(HAPPENED)


def _outages_by_month(start, end) -> dict[str, tuple[int, float]]:
    """One query: notices and outage hours by the month they start in."""
    rows = (
        with_durations(_notices_starting_in(start, end))
        .annotate(month=TruncMonth("starts_at", tzinfo=SHANGHAI))
        .values("month")
        .annotate(notices=Count("pk"), total=Sum("outage_actual"))
        .order_by()
    )
    return {_month_key(row["month"]): (row["notices"], hours(row["total"])) for row in rows}


def _outages_by_cause(start, end) -> tuple[OutageFigure, list[OutageFigure]]:
    """One query: per cause, most hours first."""
    rows = list(
        with_durations(_notices_starting_in(start, end))
        .values("cause")
        .annotate(**outage_aggregates())
        .order_by(F("actual_total").desc(nulls_last=True), "-notices", "cause")
    )
    causes = [
        OutageFigure(
            key=row["cause"],
            label=row["cause"],
            notices=row["notices"],
            planned_kind=row["planned_kind"],
            emergency_kind=row["emergency_kind"],
            actual_hours=hours(row["actual_total"]),
            planned_hours=hours(row["planned_total"]),
        )
        for row in rows
    ]
    total = OutageFigure(
        key="",
        label=_("合计"),
        notices=sum(c.notices for c in causes),
        planned_kind=sum(c.planned_kind for c in causes),
        emergency_kind=sum(c.emergency_kind for c in causes),
        actual_hours=hours(
            sum((row["actual_total"] or timedelta(0) for row in rows), timedelta(0))
        ),
        planned_hours=hours(
            sum((row["planned_total"] or timedelta(0) for row in rows), timedelta(0))
        ),
    )
    return total, top_causes(causes)


def response_figures(start, end, now) -> tuple[list[KindResponse], KindResponse]:
    """Two queries: the requests per kind (every kind, even without requests), and the
    commitments that set their deadlines, as published now."""
    rows = {
        row["kind"]: row
        for row in _submitted_in(start, end)
        .values("kind")
        .annotate(
            **request_aggregates(now),
            contacted=Count("first_contact_at"),
            contact_average=Avg(TO_FIRST_CONTACT, filter=Q(first_contact_at__isnull=False)),
        )
        .order_by()
    }
    rules = [RULES[kind] for kind in RequestKind]
    commitments = published_commitments(
        [key for rule in rules for key in (rule.contact_key, rule.resolve_key)]
    )

    def limit(key: str) -> str:
        commitment = commitments.get(key)
        return commitment.limit_display if commitment else ""

    empty = dict.fromkeys(REQUEST_MEASURES, 0) | {"contacted": 0, "contact_average": None}
    responses = []
    for rule in rules:
        row = rows.get(rule.kind.value, empty)
        responses.append(
            KindResponse(
                kind=rule.kind.value,
                label=str(rule.kind.label),
                contact_limit=limit(rule.contact_key),
                resolve_limit=limit(rule.resolve_key),
                requests=_request_figure(rule.kind.value, str(rule.kind.label), row),
                average_contact_minutes=_minutes(row["contact_average"]),
            )
        )
    summed = {name: sum(row[name] for row in rows.values()) for name in REQUEST_MEASURES}
    contacted = sum(row["contacted"] for row in rows.values())
    waited = sum(
        (row["contact_average"] * row["contacted"] for row in rows.values() if row["contacted"]),
        timedelta(0),
    )
    total = KindResponse(
        kind="",
        label=_("合计"),
        contact_limit="",
        resolve_limit="",
        requests=_request_figure("", _("合计"), summed),
        average_contact_minutes=_minutes(waited / contacted) if contacted else None,
    )
    return responses, total


def _minutes(duration: timedelta | None) -> float | None:
    if duration is None:
        return None
    return round(duration.total_seconds() / 60, 1)
