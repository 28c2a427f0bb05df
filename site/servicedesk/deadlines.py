"""A commitment's time limit applied to a moment: the deadline a request is held to."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from commitments.enums import TimeLimitUnit
from servicedesk.calendar import WorkingCalendar
from servicedesk.enums import DeadlineOutcome

# Seed 004 (服务规范 7): return calls not before 07:00, not after 22:00, and not at meal or
# nap times. Seeds 001 and 004: within 24 hours of closing.
RETURN_VISIT_WINDOWS = (
    (time(7, 0), time(11, 30)),
    (time(14, 0), time(17, 30)),
    (time(19, 0), time(22, 0)),
)
RETURN_VISIT_WITHIN = timedelta(hours=24)
# A first return call no sooner than this after closing: the resident has seen the result.
RETURN_VISIT_DELAY = timedelta(hours=2)


def deadline(unit: str, value: int | None, start: datetime, calendar: WorkingCalendar) -> datetime:
    """The moment a limit of `value` `unit` that starts at `start` runs out. 即时 runs out at
    once; hours and minutes run round the clock (the hotline is staffed 24 hours in the heating
    season); calendar days likewise; working days follow the calendar."""
    match unit:
        case TimeLimitUnit.IMMEDIATE:
            return start
        case TimeLimitUnit.MINUTES:
            return start + timedelta(minutes=value)
        case TimeLimitUnit.HOURS:
            return start + timedelta(hours=value)
        case TimeLimitUnit.DAYS:
            return start + timedelta(days=value)
        case TimeLimitUnit.WORKING_DAYS:
            return calendar.add_working_days(start, value)
    raise ValueError(f"unknown time limit unit {unit!r}")


def outcome(due: datetime | None, done_at: datetime | None, now: datetime) -> DeadlineOutcome:
    """A deadline against the moment its step was done (None: not yet), as of `now`."""
    if due is None:
        return DeadlineOutcome.UNSET
    if done_at is not None:
        return DeadlineOutcome.MET if done_at <= due else DeadlineOutcome.LATE
    return DeadlineOutcome.OVERDUE if now > due else DeadlineOutcome.PENDING


def reminder_time(start: datetime, due: datetime) -> datetime:
    """When to remind the owner: a fifth of the allowed time before it runs out, at least ten
    minutes and at most a day before (a 1-hour contact limit → 12 minutes before)."""
    lead = (due - start) / 5
    lead = max(timedelta(minutes=10), min(lead, timedelta(days=1)))
    return max(start, due - lead)


def return_visit_time(closed_at: datetime) -> datetime:
    """The first moment inside a calling window RETURN_VISIT_DELAY after closing; if that falls
    beyond RETURN_VISIT_WITHIN, the first in-window moment after closing itself (the longest gap
    between windows, 22:00 to 07:00, is well inside 24 hours)."""
    latest = closed_at + RETURN_VISIT_WITHIN
    moment = _next_in_window(closed_at + RETURN_VISIT_DELAY)
    return moment if moment <= latest else _next_in_window(closed_at)


def _next_in_window(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    for day_offset in range(2):
        day = local.date() + timedelta(days=day_offset)
        for opens, closes in RETURN_VISIT_WINDOWS:
            window_start = timezone.make_aware(datetime.combine(day, opens))
            window_end = timezone.make_aware(datetime.combine(day, closes))
            candidate = max(window_start, local)
            if candidate < window_end:
                return candidate
    raise AssertionError("the calling windows recur every day")
