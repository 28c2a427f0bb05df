"""Working days: Monday to Friday, except the holidays and with the make-up working days
(调休) of the calendar the company keeps in the admin (CalendarDay).

Counting follows administrative practice: "N个工作日内" runs from the day after the request
arrived and ends at the close of the Nth working day, wherever in that day the request came."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# Far enough for the longest limit published (25 working days) across a long holiday.
_HORIZON_DAYS = 400
# Working-day deadlines of requests arriving now may reach this far ahead: the calendar must
# hold the holidays up to then (25 working days plus a Spring Festival week).
_LOOKAHEAD = timedelta(days=45)


@dataclass(frozen=True)
class WorkingCalendar:
    """`overrides` maps a date to True (a working day, e.g. a Saturday worked for a holiday) or
    False (a holiday)."""

    overrides: dict[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def nth_working_day_after(self, day: date, n: int) -> date:
        if n < 1:
            raise ValueError("n must be at least 1")
        counted = 0
        for offset in range(1, _HORIZON_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                counted += 1
                if counted == n:
                    return candidate
        raise ValueError(f"no {n} working days within {_HORIZON_DAYS} days of {day}")

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The end of the Nth working day after `start`'s local date (as an aware datetime:
        midnight that ends it)."""
        local = timezone.localtime(start)
        last = self.nth_working_day_after(local.date(), n)
        return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def load_calendar() -> WorkingCalendar:
    from servicedesk.models import CalendarDay

    return WorkingCalendar(
        {day.date: day.is_working for day in CalendarDay.objects.only("date", "kind")}
    )


def missing_years(today: date) -> list[int]:
    """Years a deadline computed today may fall in whose holidays nobody has entered yet: the
    State Council publishes a year's arrangement in its last weeks, and until someone enters
    it, working days there are plain Monday to Friday (the admin shows this as a warning)."""
    from servicedesk.models import CalendarDay

    years = sorted({today.year, (today + _LOOKAHEAD).year})
    entered = set(
        CalendarDay.objects.filter(date__year__in=years)
        .values_list("date__year", flat=True)
        .distinct()
    )
    return [year for year in years if year not in entered]
