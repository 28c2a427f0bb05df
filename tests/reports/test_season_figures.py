"""The season's figures from records with known answers: homes measured room by room, outages
by cause and month, responses against the commitments' deadlines."""

from datetime import date

import pytest

from reports.measures import ROOM_MEETS_STANDARD
from reports.periods import Period
from reports.season import SeasonFigures, compute_period
from servicedesk.models import TemperatureReading
from tests.factories.servicedesk import communities_of_two_stations
from tests.reports.builders import at, happened, notice, reading, request

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SEASON = Period(date(2024, 11, 1), date(2025, 1, 15))
NOW = "2025-02-01T09:00"


@pytest.fixture
def season(clock):
    a, b = communities_of_two_stations()
    h1 = request(
        clock, "2024-11-10T08:00", a, kind="temperature", first_contact_at="2024-11-10T08:30"
    )
    reading(h1, "2024-11-10T10:00", "18.5")
    reading(h1, "2024-11-10T10:10", "17.0")  # one cold room: the home is below the standard
    reading(h1, "2024-12-05T10:00", "18.2")  # measured again in December: met then
    h2 = request(
        clock, "2024-11-12T08:00", a, kind="temperature", first_contact_at="2024-11-12T09:30"
    )
    reading(h2, "2024-11-12T10:00", "19.0")
    h3 = request(clock, "2024-11-20T08:00", b, kind="temperature")
    reading(h3, "2024-11-20T10:00", "16.0", refused=True)  # a refusal counts as 合格
    h4 = request(clock, "2024-12-01T08:00", b, kind="temperature")
    reading(h4, "2024-12-01T10:00", "18.0")  # exactly the standard
    h5 = request(clock, "2024-10-30T08:00", b, kind="temperature")
    reading(h5, "2024-10-30T10:00", "15.0")  # before the season
    h6 = request(clock, "2025-01-15T20:00", b, kind="temperature")
    reading(h6, "2025-01-15T23:30", "17.5")  # the last evening of the season, Beijing time

    n1 = notice(
        clock,
        "2024-11-01T09:00",
        "2024-11-05T08:00",
        "2024-11-05T12:00",
        cause="管网检修",
        title="季一",
        slug="s-n1",
    )
    happened(n1, restored="2024-11-05T13:00")  # 5 h
    n2 = notice(
        clock,
        "2024-12-01T09:00",
        "2024-12-10T08:00",
        "2024-12-10T20:00",
        cause="阀门损坏",
        kind="emergency",
        title="季二",
        slug="s-n2",
    )
    happened(n2, extended_to="2024-12-11T04:00", restored="2024-12-11T04:00")  # 20 h
    notice(
        clock,
        "2024-09-01T09:00",
        "2024-10-01T08:00",
        "2024-10-01T20:00",
        cause="管网检修",
        title="季三",
        slug="s-n3",
    )  # before the season
    clock(NOW)
    return a.station, b.station


def test_homes_meet_the_standard_when_every_room_does(season):
    station_a, station_b = season
    figures = compute_period(SEASON, at(NOW))
    assert [month.month for month in figures.months] == ["2024-11", "2024-12", "2025-01"]
    homes = [(m.homes.measured, m.homes.met) for m in figures.months]
    assert homes == [(3, 2), (2, 2), (1, 0)]
    assert (figures.homes.measured, figures.homes.met, figures.homes.rate) == (6, 4, 66.7)
    stations = {row.station: row for row in figures.stations}
    a, b = stations[station_a.name], stations[station_b.name]
    assert [(s.measured, s.met) for s in a.months] == [(2, 1), (1, 1), (0, 0)]
    assert [(s.measured, s.met) for s in b.months] == [(1, 1), (1, 1), (1, 0)]
    assert (a.season.rate, b.season.rate) == (66.7, 66.7)


def test_the_room_rule_is_the_service_desks(season):
    in_sql = set(
        TemperatureReading.objects.filter(ROOM_MEETS_STANDARD).values_list("pk", flat=True)
    )
    in_python = {r.pk for r in TemperatureReading.objects.all() if r.meets_standard}
    assert in_sql == in_python
    assert TemperatureReading.objects.exclude(ROOM_MEETS_STANDARD).count() >= 3


def test_outage_hours_by_cause_and_by_the_month_they_start(season):
    figures = compute_period(SEASON, at(NOW))
    assert [(c.label, c.notices, c.actual_hours, c.planned_hours) for c in figures.causes] == [
        ("阀门损坏", 1, 20.0, 12.0),
        ("管网检修", 1, 5.0, 4.0),
    ]
    assert (figures.outages.notices, figures.outages.actual_hours) == (2, 25.0)
    by_month = [(m.outage_notices, m.outage_hours) for m in figures.months]
    assert by_month == [(1, 5.0), (1, 20.0), (0, 0.0)]


def test_responses_against_the_commitments(season):
    figures = compute_period(SEASON, at(NOW))
    responses = {row.kind: row for row in figures.responses}
    temperature = responses["temperature"]
    assert temperature.contact_limit == "24小时内"  # the published commitment
    assert temperature.requests.received == 5  # h5 was submitted before the season
    assert temperature.requests.contacted_in_time == 2
    assert temperature.requests.contact_due == 5  # the others' 24 hours have passed
    assert temperature.average_contact_minutes == 60.0  # 30 and 90 minutes
    assert responses["complaint"].requests.received == 0
    assert responses["complaint"].average_contact_minutes is None
    assert figures.response_total.average_contact_minutes == 60.0
    assert [m.requests.received for m in figures.months] == [3, 1, 1]


def test_a_month_of_the_season_and_json(season):
    month = compute_period(Period.month(date(2025, 1, 1)).clip(SEASON), at(NOW))
    assert (month.first_day, month.last_day) == ("2025-01-01", "2025-01-15")
    assert (month.homes.measured, month.homes.met) == (1, 0)
    assert month.final
    figures = compute_period(SEASON, at("2025-01-15T23:00"))
    assert not figures.final
    assert SeasonFigures.from_json(figures.to_json()) == figures
