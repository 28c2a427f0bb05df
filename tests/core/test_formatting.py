"""Chinese dates, time ranges and durations for notices, shown in Beijing time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.formatting import format_datetime, format_duration, format_time_range

pytestmark = pytest.mark.clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2017, 10, 12, 12, 0, tzinfo=SHANGHAI)


def at(year, month, day, hour=0, minute=0, tz=SHANGHAI):
    return datetime(year, month, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2017, 10, 13, 8), at(2017, 10, 14, 7), "10月13日 8:00—14日 7:00"),
        (at(2017, 10, 13, 8), at(2017, 10, 13, 14), "10月13日 8:00—14:00"),
        (at(2017, 10, 31, 8), at(2017, 11, 1, 7), "10月31日 8:00—11月1日 7:00"),
        (at(2017, 10, 13, 9, 5), at(2017, 10, 13, 17, 30), "10月13日 9:05—17:30"),
        (at(2017, 10, 13, 0), at(2017, 10, 13, 0), "10月13日 0:00—0:00"),
    ],
)
def test_range_leaves_out_what_the_end_shares_with_the_start(start, end, expected):
    assert format_time_range(start, end, now=NOW) == expected


def test_range_across_years_shows_both_years():
    start, end = at(2025, 12, 31, 22), at(2026, 1, 1, 6)
    expected = "2025年12月31日 22:00—2026年1月1日 6:00"
    assert format_time_range(start, end, now=at(2025, 12, 1)) == expected
    assert format_time_range(start, end, now=at(2026, 1, 1)) == expected


def test_range_outside_the_current_year_shows_the_year_once():
    start, end = at(2017, 10, 13, 8), at(2017, 10, 14, 7)
    assert format_time_range(start, end, now=at(2026, 3, 1)) == "2017年10月13日 8:00—14日 7:00"


def test_range_defaults_now_to_the_current_time():
    start = datetime.now(SHANGHAI).replace(month=3, day=1, hour=8, minute=0)
    assert format_time_range(start, start + timedelta(hours=6)) == "3月1日 8:00—14:00"
    last_year = start.replace(year=start.year - 1)
    assert format_time_range(last_year, None).startswith(f"{last_year.year}年3月1日 8:00")


def test_range_without_end_is_open():
    assert format_time_range(at(2017, 10, 13, 8), None, now=NOW) == "10月13日 8:00起，恢复时间待定"


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (at(2017, 10, 22, 0), "10月14日 0:00起，预计22日 0:00恢复"),
        (at(2017, 11, 2, 0), "10月14日 0:00起，预计11月2日 0:00恢复"),
        (at(2017, 10, 14, 18), "10月14日 0:00起，预计18:00恢复"),
    ],
)
def test_estimated_end_is_worded_as_a_forecast(end, expected):
    assert format_time_range(at(2017, 10, 14, 0), end, now=NOW, estimated=True) == expected


def test_range_converts_to_beijing_time():
    start = at(2017, 10, 12, 23, 30, tz=UTC)
    end = at(2017, 10, 13, 23, 0, tz=UTC)
    assert format_time_range(start, end, now=NOW) == "10月13日 7:30—14日 7:00"


def test_range_refuses_end_before_start_and_naive_times():
    with pytest.raises(ValueError, match="结束时间不能早于开始时间"):
        format_time_range(at(2017, 10, 14, 8), at(2017, 10, 13, 8), now=NOW)
    with pytest.raises(ValueError, match="时区"):
        format_time_range(datetime(2017, 10, 13, 8), None, now=NOW)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(0), "0分钟"),
        (timedelta(minutes=45), "45分钟"),
        (timedelta(minutes=45, seconds=59), "45分钟"),
        (timedelta(hours=8), "8小时"),
        (timedelta(hours=23), "23小时"),
        (timedelta(hours=6, minutes=30), "6小时30分钟"),
        (timedelta(hours=47, minutes=59), "47小时59分钟"),
        (timedelta(hours=48), "2天"),
        (timedelta(days=7), "7天"),
        (timedelta(days=2, hours=3), "2天3小时"),
        (timedelta(days=2, hours=3, minutes=40), "2天3小时"),
        (None, "待定"),
    ],
)
def test_duration(delta, expected):
    assert format_duration(delta) == expected


def test_negative_duration_is_refused():
    with pytest.raises(ValueError, match="时长不能为负数"):
        format_duration(timedelta(minutes=-1))


def test_datetime_always_has_the_year():
    assert format_datetime(at(2026, 11, 23, 8, 5)) == "2026年11月23日 8:05"


def test_datetime_converts_to_beijing_time():
    assert format_datetime(at(2026, 11, 12, 23, 30, tz=UTC)) == "2026年11月13日 7:30"
