"""Windows of dates relative to today (今天, 本周, 本月, ...), computed in China time when a
collection is read. Each starts and ends at a midnight, so what a collection selects changes
with the clock only when its window moves on (`Span.moves_at`), and a response can be cached
until that moment and no longer (core.page_cache.expires_at)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import SHANGHAI


class Window(models.TextChoices):
    ALL = "all", _("全部")
    TODAY = "today", _("今天")
    THIS_WEEK = "this_week", _("本周")
    THIS_MONTH = "this_month", _("本月")
    NEXT_7_DAYS = "next_7_days", _("未来7天（含今天）")
    PAST_30_DAYS = "past_30_days", _("过去30天（含今天）")


@dataclass(frozen=True)
class Span:
    """Days `first` to `last` inclusive; `start` and `end` (exclusive) are their midnights."""

    first: date
    last: date
    moves_at: datetime  # the next midnight at which the window is other days

    @property
    def start(self) -> datetime:
        return midnight(self.first)

    @property
    def end(self) -> datetime:
        return midnight(self.last + timedelta(days=1))


def midnight(day: date) -> datetime:
    """The start of a day in China time (no daylight saving: always +08:00)."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def span(window: str, now: datetime) -> Span | None:
    """The days `window` covers at `now`; None for 全部."""
    today = now.astimezone(SHANGHAI).date()
    tomorrow = midnight(today + timedelta(days=1))
    if window == Window.TODAY:
        return Span(today, today, tomorrow)
    if window == Window.THIS_WEEK:
        monday = today - timedelta(days=today.weekday())
        return Span(monday, monday + timedelta(days=6), midnight(monday + timedelta(days=7)))
    if window == Window.THIS_MONTH:
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Span(first, following - timedelta(days=1), midnight(following))
    if window == Window.NEXT_7_DAYS:
        return Span(today, today + timedelta(days=6), tomorrow)
    if window == Window.PAST_30_DAYS:
        return Span(today - timedelta(days=29), today, tomorrow)
    return None
