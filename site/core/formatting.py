"""Dates, times and durations written the way Chinese outage notices write them:
"10月13日 8:00—14日 7:00", "6小时30分钟", "2026年11月23日 8:05".

Every function takes aware datetimes and shows them in Beijing time, whatever zone they come
in. The zone is read with zoneinfo rather than Django's settings so the module works anywhere."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DASH = "—"


def format_datetime(dt: datetime) -> str:
    """Always with the year: "2026年11月23日 8:05"."""
    local = _local(dt)
    return f"{_date(local, with_year=True)} {_clock(local)}"


def format_moment(dt: datetime) -> str:
    """Without the year, for texts about the near future: "11月27日 7:00"."""
    local = _local(dt)
    return f"{_date(local, with_year=False)} {_clock(local)}"


def format_time_range(
    start: datetime,
    end: datetime | None,
    *,
    now: datetime | None = None,
    estimated: bool = False,
) -> str:
    """An outage period as notices write it, the end leaving out what it shares with the start:

    "10月13日 8:00—14:00", "10月13日 8:00—14日 7:00", "10月31日 8:00—11月1日 7:00".

    Years are shown only when the start is not in `now`'s year (default: the current time) or
    the period spans years: "2025年12月31日 22:00—2026年1月1日 6:00". Without an end:
    "10月13日 8:00起，恢复时间待定". With `estimated=True` the end is a forecast, worded as the
    notices do: "10月14日 0:00起，预计22日 0:00恢复"."""
    start = _local(start)
    now = datetime.now(SHANGHAI) if now is None else _local(now)
    end = None if end is None else _local(end)
    show_year = start.year != now.year or (end is not None and end.year != start.year)
    opening = f"{_date(start, with_year=show_year)} {_clock(start)}"
    if end is None:
        return f"{opening}起，恢复时间待定"
    if end < start:
        raise ValueError("结束时间不能早于开始时间")
    closing = _closing(start, end)
    if estimated:
        return f"{opening}起，预计{closing}恢复"
    return f"{opening}{DASH}{closing}"


def format_duration(delta: timedelta | None) -> str:
    """Minutes and hours ("45分钟", "6小时30分钟", "23小时"); from 48 hours on, days and hours
    ("2天3小时") with the minutes dropped. Seconds are always dropped; None (no end yet) is "待定"."""
    if delta is None:
        return "待定"
    if delta < timedelta(0):
        raise ValueError("时长不能为负数")
    hours, minutes = divmod(delta // timedelta(minutes=1), 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return _join((days, "天"), (hours, "小时"))
    if hours == 0:
        return f"{minutes}分钟"
    return _join((hours, "小时"), (minutes, "分钟"))


def _local(dt: datetime) -> datetime:
    # astimezone() would read a naive datetime as the server's local time: refuse it instead.
    if dt.utcoffset() is None:
        raise ValueError("时间缺少时区信息")
    return dt.astimezone(SHANGHAI)


def _date(dt: datetime, *, with_year: bool) -> str:
    year = f"{dt.year}年" if with_year else ""
    return f"{year}{dt.month}月{dt.day}日"


def _clock(dt: datetime) -> str:
    return f"{dt.hour}:{dt.minute:02d}"


def _closing(start: datetime, end: datetime) -> str:
    """The end of a range, without the parts it shares with the start."""
    clock = _clock(end)
    if end.year != start.year:
        day = _date(end, with_year=True)
    elif end.month != start.month:
        day = _date(end, with_year=False)
    elif end.day != start.day:
        day = f"{end.day}日"
    else:
        return clock
    return f"{day} {clock}"


def _join(*parts: tuple[int, str]) -> str:
    return "".join(f"{number}{unit}" for number, unit in parts if number)
