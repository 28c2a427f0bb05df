"""The monthly figures the public compliance page, its CSV and its feed publish, computed from
the requests themselves (never typed in), per station and for the whole company.

Which requests: those whose number was proven (routed), by the month they were submitted in,
Beijing time; each counts for the station that holds it now (after any hand-over).

- 受理数 (received): the month's requests.
- 应办结数 (due): those that had to be closed by now: the closed ones, and the open ones whose
  resolve deadline has passed. A request whose kind's commitment sets no resolve deadline is
  left out of due and closed in time.
- 按时办结数 (closed in time): closed no later than the resolve deadline it was given when it
  arrived, from the published commitment of its kind (servicedesk.kinds), counted in working
  days where the commitment says so. 按时办结率 = closed in time ÷ due.
- 已联系数, 首次联系用时中位数 (contacted, median minutes to first contact): from submission to
  the first contact recorded (a call, a visit, a temperature reading), the median over the
  requests contacted; none when nobody was contacted.
- 超时未办结数 (open overdue): still open with the resolve deadline passed.
- 评价数, 满意数 (ratings, satisfied): residents' ratings from the tracking page; satisfied is 4
  (满意) or 5 (非常满意). 满意率 = satisfied ÷ ratings.

Figures of a month keep changing while its requests are handled (and as deadlines pass):
servicedesk.tasks.refresh_compliance recomputes the current and previous month every ten
minutes and a month at once when one of its requests changes."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from servicedesk import deadlines
from servicedesk.enums import DeadlineOutcome, RequestStatus, Satisfaction
from servicedesk.models import ComplianceFigure, ServiceRequest

# The page cache tag of every public response showing the figures (core.page_cache).
CACHE_TAG = "servicedesk-compliance"
SATISFIED_FROM = Satisfaction.SATISFIED
# Compared when deciding whether a month's figures changed (computed_at aside).
FIGURE_FIELDS = (
    "received",
    "due",
    "closed_in_time",
    "contacted",
    "median_contact_minutes",
    "open_overdue",
    "ratings",
    "satisfied",
    "rating_total",
)


@dataclass(frozen=True)
class RequestFacts:
    """The columns of one request the figures need: no personal data."""

    station_id: int
    status: str
    submitted_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None
    resolve_due_at: datetime | None
    rating: int | None


COLUMNS = tuple(RequestFacts.__dataclass_fields__)


def parse_month(value: str) -> date:
    """'2026-11' → date(2026, 11, 1); ValueError for anything else."""
    year, month = value.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(f"not a YYYY-MM month: {value!r}")
    return date(int(year), int(month), 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, Beijing time."""
    return (
        timezone.make_aware(datetime.combine(month, time.min)),
        timezone.make_aware(datetime.combine(next_month(month), time.min)),
    )


def recent_months(now: datetime) -> list[date]:
    """The current month and the previous one, Beijing time: those still changing."""
    current = timezone.localdate(now).replace(day=1)
    return [current, previous_month(current)]


def facts_of(month: date) -> list[RequestFacts]:
    """One query: the needed columns of the month's routed requests."""
    start, end = month_bounds(month)
    rows = (
        ServiceRequest.objects.routed()
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .order_by()
        .values_list(*COLUMNS)
    )
    return [RequestFacts(*row) for row in rows]


@dataclass
class Tally:
    """One station's month (or the company's) while the requests are counted."""

    received: int = 0
    due: int = 0
    closed_in_time: int = 0
    open_overdue: int = 0
    ratings: int = 0
    satisfied: int = 0
    rating_total: int = 0
    contact_seconds: list[int] = field(default_factory=list)

    def add(self, request: RequestFacts, now: datetime) -> None:
        self.received += 1
        closed_at = request.closed_at if request.status == RequestStatus.CLOSED else None
        result = deadlines.outcome(request.resolve_due_at, closed_at, now)
        if result in (DeadlineOutcome.MET, DeadlineOutcome.LATE, DeadlineOutcome.OVERDUE):
            self.due += 1
        self.closed_in_time += result == DeadlineOutcome.MET
        self.open_overdue += result == DeadlineOutcome.OVERDUE
        if request.first_contact_at is not None:
            # A contact recorded as before the submission (a call that led to it) counts as 0.
            waited = request.first_contact_at - request.submitted_at
            self.contact_seconds.append(max(0, int(waited.total_seconds())))
        if request.rating is not None:
            self.ratings += 1
            self.rating_total += request.rating
            if request.rating >= SATISFIED_FROM:
                self.satisfied += 1

    @property
    def contacted(self) -> int:
        return len(self.contact_seconds)

    def median_contact_minutes(self) -> Decimal | None:
        if not self.contact_seconds:
            return None
        seconds = Decimal(str(statistics.median(self.contact_seconds)))
        return (seconds / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def tally(requests: list[RequestFacts], now: datetime) -> dict[int | None, Tally]:
    """Per station id, and for the whole company under None. Pure: no database, no clock."""
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    for request in requests:
        tallies[request.station_id].add(request, now)
        tallies[None].add(request, now)
    return dict(tallies)


def compute_month(month: date, now: datetime) -> list[ComplianceFigure]:
    """The month's figures as unsaved rows (none for a month without requests)."""
    return [
        ComplianceFigure(
            month=month,
            station_id=station_id,
            received=t.received,
            due=t.due,
            closed_in_time=t.closed_in_time,
            contacted=t.contacted,
            median_contact_minutes=t.median_contact_minutes(),
            open_overdue=t.open_overdue,
            ratings=t.ratings,
            satisfied=t.satisfied,
            rating_total=t.rating_total,
            computed_at=now,
        )
        for station_id, t in tally(facts_of(month), now).items()
    ]


def values(figure: ComplianceFigure) -> tuple:
    """What a row says, for comparing a recomputation with what is stored."""
    return (figure.station_id, *(getattr(figure, name) for name in FIGURE_FIELDS))
