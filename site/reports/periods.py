"""The spans of time the reports count over, as Beijing days: a calendar year, a heating
season, a month of it. Every figure selects its records by `Period.bounds()`, so a record made
at 23:30 on 31 December Beijing time (15:30 UTC) counts in that year, whatever the server's zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from core.formatting import SHANGHAI


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included."""

    first_day: date
    last_day: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, month: date) -> "Period":
        return cls(month.replace(day=1), next_month(month) - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """The first moment and the moment after the last day, Beijing time."""
        start = datetime.combine(self.first_day, time.min, tzinfo=SHANGHAI)
        end = datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=SHANGHAI)
        return start, end

    def is_over(self, now: datetime) -> bool:
        return now >= self.bounds()[1]

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        months, month = [], self.first_day.replace(day=1)
        while month <= self.last_day:
            months.append(month)
            month = next_month(month)
        return months

    def clip(self, other: "Period") -> "Period":
        """The part of this period inside `other` (they must overlap)."""
        return Period(max(self.first_day, other.first_day), min(self.last_day, other.last_day))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_label(month: date) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}
