"""Deadline arithmetic: working days across weekends, holidays and make-up working days (调休),
round-the-clock hours, reminder times, and the return call's hours (07:00–22:00, not at meal or
nap times, within 24 hours of closing)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from commitments.enums import TimeLimitUnit
from servicedesk.calendar import WorkingCalendar
from servicedesk.deadlines import (
    RETURN_VISIT_WINDOWS,
    deadline,
    reminder_time,
    return_visit_time,
)

pytestmark = pytest.mark.clock


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


# 国务院办公厅关于2026年部分节假日安排的通知: 国庆节 and 春节 with their make-up working days.
NATIONAL_DAY = {
    **{date(2026, 10, day): False for day in range(1, 8)},
    date(2026, 9, 20): True,
    date(2026, 10, 10): True,
}
SPRING_FESTIVAL = {
    **{date(2026, 2, day): False for day in range(15, 24)},
    date(2026, 2, 14): True,
    date(2026, 2, 28): True,
}
CALENDAR_2026 = WorkingCalendar({**NATIONAL_DAY, **SPRING_FESTIVAL})


def test_weekdays_are_working_days_unless_the_calendar_says_otherwise():
    assert CALENDAR_2026.is_working_day(date(2026, 11, 23))  # Monday
    assert not CALENDAR_2026.is_working_day(date(2026, 11, 22))  # Sunday
    assert not CALENDAR_2026.is_working_day(date(2026, 10, 1))  # holiday on a Thursday
    assert CALENDAR_2026.is_working_day(date(2026, 10, 10))  # Saturday worked (调休)


def test_seven_working_days_across_national_day_and_its_make_up_saturday():
    # 在线报停 "7个工作日内关阀", asked on Wednesday 30 September at 10:00: the holiday week
    # does not count, Saturday 10 October does; the 7th working day is Thursday 15 October.
    asked = local(2026, 9, 30, 10, 0)
    due = deadline(TimeLimitUnit.WORKING_DAYS, 7, asked, CALENDAR_2026)
    assert due == local(2026, 10, 16, 0, 0)
    # Without the holiday calendar it would have been Friday 9 October.
    assert deadline(TimeLimitUnit.WORKING_DAYS, 7, asked, WorkingCalendar()) == local(
        2026, 10, 10, 0, 0
    )


def test_working_days_start_the_day_after_and_skip_the_weekend():
    # 供热阀门损坏 "2个工作日内完成", asked on Friday evening: Monday and Tuesday.
    assert deadline(
        TimeLimitUnit.WORKING_DAYS, 2, local(2026, 11, 20, 18, 0), CALENDAR_2026
    ) == local(2026, 11, 25, 0, 0)
    # Asked on Saturday: the count starts on Monday; the 7th working day is Tuesday 1 December.
    assert deadline(
        TimeLimitUnit.WORKING_DAYS, 7, local(2026, 11, 21, 9, 0), CALENDAR_2026
    ) == local(2026, 12, 2, 0, 0)
    # Early morning or late evening of the same day: the same deadline.
    assert deadline(
        TimeLimitUnit.WORKING_DAYS, 1, local(2026, 11, 23, 0, 5), CALENDAR_2026
    ) == deadline(TimeLimitUnit.WORKING_DAYS, 1, local(2026, 11, 23, 23, 55), CALENDAR_2026)


def test_spring_festival_make_up_saturday_counts_and_the_holiday_does_not():
    # Friday 13 February: Saturday 14th is worked (1), 15–23 are the holiday, then 24th (2) and
    # 25th (3).
    assert deadline(
        TimeLimitUnit.WORKING_DAYS, 3, local(2026, 2, 13, 16, 0), CALENDAR_2026
    ) == local(2026, 2, 26, 0, 0)


def test_hours_and_minutes_run_round_the_clock():
    friday_night = local(2026, 11, 20, 23, 30)
    assert deadline(TimeLimitUnit.HOURS, 48, friday_night, CALENDAR_2026) == local(
        2026, 11, 22, 23, 30
    )
    assert deadline(TimeLimitUnit.HOURS, 1, friday_night, CALENDAR_2026) == local(
        2026, 11, 21, 0, 30
    )
    assert deadline(TimeLimitUnit.MINUTES, 40, friday_night, CALENDAR_2026) == local(
        2026, 11, 21, 0, 10
    )
    assert deadline(TimeLimitUnit.DAYS, 1, friday_night, CALENDAR_2026) == local(
        2026, 11, 21, 23, 30
    )
    assert deadline(TimeLimitUnit.IMMEDIATE, None, friday_night, CALENDAR_2026) == friday_night


def test_an_unknown_unit_is_an_error_not_a_silent_deadline():
    with pytest.raises(ValueError):
        deadline("fortnights", 1, local(2026, 11, 20, 9, 0), CALENDAR_2026)


def test_reminders_come_a_fifth_of_the_time_before_within_bounds():
    start = local(2026, 11, 23, 9, 0)
    assert reminder_time(start, start + timedelta(hours=1)) == start + timedelta(minutes=48)
    assert reminder_time(start, start + timedelta(hours=24)) == start + timedelta(hours=24 - 4.8)
    # Never more than a day ahead, never less than ten minutes, never before the start.
    week = start + timedelta(days=9)
    assert reminder_time(start, week) == week - timedelta(days=1)
    assert reminder_time(start, start + timedelta(minutes=30)) == start + timedelta(minutes=20)
    assert reminder_time(start, start + timedelta(minutes=5)) == start


def _in_window(moment: datetime) -> bool:
    clock = timezone.localtime(moment).time()
    return any(opens <= clock < closes for opens, closes in RETURN_VISIT_WINDOWS)


@pytest.mark.parametrize(
    ("closed", "expected"),
    [
        (local(2026, 11, 23, 6, 0), local(2026, 11, 23, 8, 0)),  # two hours later, 08:00
        (local(2026, 11, 23, 10, 0), local(2026, 11, 23, 14, 0)),  # not at lunch or nap time
        (local(2026, 11, 23, 16, 45), local(2026, 11, 23, 19, 0)),  # not at dinner time
        (local(2026, 11, 23, 21, 30), local(2026, 11, 24, 7, 0)),  # never after 22:00
        (local(2026, 11, 23, 23, 50), local(2026, 11, 24, 7, 0)),  # never before 07:00
    ],
)
def test_return_call_is_placed_in_calling_hours(closed, expected):
    assert return_visit_time(closed) == expected


def test_return_call_always_in_hours_and_within_24_hours_of_closing():
    start = local(2026, 11, 23, 0, 0)
    for minutes in range(0, 24 * 60, 7):
        closed = start + timedelta(minutes=minutes)
        call = return_visit_time(closed)
        assert _in_window(call), closed
        assert closed <= call <= closed + timedelta(hours=24), closed


@pytest.mark.django_db
def test_a_year_without_holidays_entered_is_reported(moderator, client):
    from servicedesk.calendar import missing_years
    from servicedesk.models import CalendarDay

    CalendarDay.objects.all().delete()
    CalendarDay.objects.create(date=date(2026, 10, 1), kind="holiday", name="国庆节")
    assert missing_years(date(2026, 6, 1)) == []
    # Late in the year deadlines reach into the next one, whose notice is not entered yet.
    assert missing_years(date(2026, 12, 1)) == [2027]
    # The desk's list warns of the years missing as of today, and stops once they are entered.
    client.force_login(moderator)
    CalendarDay.objects.all().delete()
    today = timezone.localdate()
    page = client.get("/admin/servicedesk/").content.decode()
    assert f"尚未录入{today.year}年" in page or f"尚未录入{today.year}、" in page
    for year in missing_years(today):
        CalendarDay.objects.create(date=date(year, 1, 1), kind="holiday", name="元旦")
    assert "尚未录入" not in client.get("/admin/servicedesk/").content.decode()


def test_a_deadline_is_met_late_overdue_pending_or_unset():
    from servicedesk.deadlines import outcome
    from servicedesk.enums import DeadlineOutcome

    due, now = local(2026, 11, 23, 10, 0), local(2026, 11, 23, 12, 0)
    assert outcome(None, None, now) == DeadlineOutcome.UNSET
    assert outcome(due, due, now) == DeadlineOutcome.MET  # done at the very moment: in time
    assert outcome(due, due + timedelta(seconds=1), now) == DeadlineOutcome.LATE
    assert outcome(due, None, now) == DeadlineOutcome.OVERDUE
    assert outcome(due, None, due) == DeadlineOutcome.PENDING
