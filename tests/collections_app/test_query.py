"""What a collection's saved query selects: each criterion, a station or a branch as every
community it serves, and the windows of dates relative to today at their boundaries (China
time, whatever the server's)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from collections_app.query import NOTICE_TYPE, CollectionQuery, Place
from collections_app.windows import Window, midnight, span
from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from tests.catalogue.helpers import regulation
from tests.collections_app.helpers import make_area, make_branch, selected
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

WEDNESDAY = "2026-12-09T10:00"  # the week of Monday 7 to Sunday 13 December


@pytest.fixture(autouse=True)
def _catalogue_syncs(commits_at_once):
    """New pages enter the catalogue (after their commit), which collections select from."""


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def notice(communities, start="2026-12-10T08:00", hours=10, **fields):
    starts_at = at(start)
    return make_notice(
        communities=communities,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **fields,
    )


def test_utility_and_state(clock):
    clock(WEDNESDAY)
    _station, (community, _) = make_area()
    water = notice([community], utility="water")
    gas = notice([community], utility="gas")
    started = notice([community], start="2026-12-09T08:00", utility="water")
    assert selected(utilities=("water",), places=[community]) == {water.pk, started.pk}
    assert selected(utilities=("water", "gas"), places=[community]) == {
        water.pk,
        gas.pk,
        started.pk,
    }
    in_progress = selected(states=("in_progress",), places=[community])
    assert in_progress == {started.pk}
    record_update(started.pk, UpdateKind.RESTORED)
    assert selected(states=("in_progress",), places=[community]) == set()
    assert selected(states=("restored",), places=[community]) == {started.pk}


def test_a_station_is_every_community_it_serves(clock):
    clock(WEDNESDAY)
    station, (first, second) = make_area()
    _other_station, (elsewhere, _) = make_area()
    one = notice([first])
    both = notice([second, elsewhere])
    outside = notice([elsewhere], station=station)  # run by the station, in none of its communities
    assert selected(places=[station]) == {one.pk, both.pk}
    assert outside.pk in selected(places=[elsewhere])
    assert selected(places=[first]) == {one.pk}
    assert selected(places=[first, second]) == {one.pk, both.pk}  # places are alternatives


def test_a_branch_is_every_community_of_its_stations(clock):
    clock(WEDNESDAY)
    branch = make_branch()
    _first, (a, _) = make_area(branch)
    _second, (b, _) = make_area(branch)
    _other, (c, _) = make_area(make_branch())
    in_a, in_b, in_c = notice([a]), notice([b]), notice([c])
    assert selected(places=[branch]) == {in_a.pk, in_b.pk}
    assert in_c.pk not in selected(places=[branch])


def test_a_community_moved_to_another_station_moves_its_notices(clock):
    clock(WEDNESDAY)
    station, _ = make_area()
    _other, (community, _) = make_area()
    moved = notice([community])
    assert moved.pk not in selected(places=[station])
    community.station = station
    community.save()
    assert moved.pk in selected(places=[station])


def test_page_types_columns_and_notice_criteria_hold_only_their_items(clock):
    clock(WEDNESDAY)
    _station, (community, _) = make_area()
    outage = notice([community], title="某泵站停水通知")
    rule = regulation(title="某供热管理办法")
    assert rule.pk in selected(page_types=("regulations.regulationpage",))
    assert outage.pk not in selected(page_types=("regulations.regulationpage",))
    assert outage.pk in selected(page_types=(NOTICE_TYPE,))
    assert rule.pk in selected(columns=("regulations",))
    assert outage.pk in selected(columns=("outages",))
    assert outage.pk not in selected(columns=("regulations",))
    # Utility, state and places are notices' criteria: nothing else is selected with them.
    mixed = selected(utilities=("water",), page_types=("regulations.regulationpage", NOTICE_TYPE))
    assert outage.pk in mixed and rule.pk not in mixed


def test_keyword_in_the_title_or_the_summary(clock):
    clock(WEDNESDAY)
    _station, (community, _) = make_area()
    titled = notice([community], title="测试关键词甲停水通知")
    caused = notice([community], cause="更换测试关键词乙阀门")
    other = notice([community])
    assert selected(keyword="测试关键词甲", places=[community]) == {titled.pk}
    assert selected(keyword="测试关键词乙", places=[community]) == {caused.pk}  # in the summary
    assert other.pk not in selected(keyword="测试关键词", places=[community])


def test_this_week_holds_outages_overlapping_it(clock):
    clock(WEDNESDAY)
    _station, (community, _) = make_area()
    sunday_night = notice([community], start="2026-12-13T23:00", hours=0.5)
    next_monday = notice([community], start="2026-12-14T00:00")
    ended_at_midnight = notice([community], start="2026-12-06T20:00", hours=4)  # to Monday 0:00
    across_midnight = notice([community], start="2026-12-06T22:00", hours=4)
    open_ended = make_notice(
        communities=[community], starts_at=at("2026-12-01T08:00"), ends_at=None
    )
    assert selected(window=Window.THIS_WEEK, places=[community]) == {
        sunday_night.pk,
        across_midnight.pk,
        open_ended.pk,
    }
    assert ended_at_midnight.pk not in selected(window=Window.THIS_WEEK, places=[community])
    assert next_monday.pk in selected(window=Window.ALL, places=[community])


def test_the_week_moves_on_at_midnight_china_time(clock):
    clock("2026-12-13T23:59:30")  # Sunday; in UTC still Sunday afternoon
    _station, (community, _) = make_area()
    sunday = notice([community], start="2026-12-13T20:00", hours=2)
    monday = notice([community], start="2026-12-14T00:00", hours=2)
    assert selected(window=Window.THIS_WEEK, places=[community]) == {sunday.pk}
    clock.shift(60)
    assert selected(window=Window.THIS_WEEK, places=[community]) == {monday.pk}
    assert selected(window=Window.TODAY, places=[community]) == {monday.pk}


def test_other_items_are_in_a_window_by_their_publication_date(clock):
    clock(WEDNESDAY)
    recent = regulation(disclosed_on=date(2026, 11, 10))
    old = regulation(disclosed_on=date(2026, 11, 9))
    past_30 = selected(window=Window.PAST_30_DAYS, columns=("regulations",))
    assert recent.pk in past_30 and old.pk not in past_30  # 10 November to 9 December
    today = selected(window=Window.TODAY, columns=("regulations",))
    assert recent.pk not in today


@pytest.mark.parametrize(
    ("instant", "window", "first", "last", "moves_at"),
    [
        # 03:00 in China is the day before in UTC: China's date counts.
        ("2026-12-05T03:00", Window.TODAY, "2026-12-05", "2026-12-05", "2026-12-06"),
        ("2026-12-05T03:00", Window.THIS_WEEK, "2026-11-30", "2026-12-06", "2026-12-07"),
        ("2026-11-30T23:50", Window.THIS_MONTH, "2026-11-01", "2026-11-30", "2026-12-01"),
        ("2026-12-31T12:00", Window.THIS_MONTH, "2026-12-01", "2026-12-31", "2027-01-01"),
        ("2026-12-09T10:00", Window.NEXT_7_DAYS, "2026-12-09", "2026-12-15", "2026-12-10"),
        ("2026-12-09T10:00", Window.PAST_30_DAYS, "2026-11-10", "2026-12-09", "2026-12-10"),
    ],
)
def test_windows(clock, instant, window, first, last, moves_at):
    now = clock(instant)
    days = span(window, now)
    assert (days.first.isoformat(), days.last.isoformat()) == (first, last)
    assert days.moves_at == midnight(date.fromisoformat(moves_at))
    assert days.start.utcoffset() == timedelta(hours=8)
    assert span(Window.ALL, now) is None


def test_criteria_that_cannot_hold_anything_together_are_named():
    notices_only = {"utilities": ("water",)}
    assert set(
        CollectionQuery(page_types=("regulations.regulationpage",), **notices_only).problems()
    ) == {"page_types"}
    assert set(CollectionQuery(columns=("regulations",), **notices_only).problems()) == {"columns"}
    assert (
        CollectionQuery(columns=("outages",), page_types=(NOTICE_TYPE,), **notices_only).problems()
        == {}
    )
    assert CollectionQuery(places=(Place("station", 1, "站"),), columns=("fees",)).problems()
