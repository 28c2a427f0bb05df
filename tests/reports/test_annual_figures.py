"""The yearly report's figures, computed from records with known answers: a year of notices,
ledger rows and requests around the year's edges in Beijing time (the demo records are all of
the test database's own year, so 2024 holds only what these tests make)."""

import pytest

from commitments.models import CommitmentIndexPage
from notices.lifecycle.transitions import record_update
from reports import jsonable
from reports.figures import AnnualFigures, OutageFigure, compute_year, top_causes
from servicedesk.enums import RequestStatus
from tests.factories.pages import make_commitment_page
from tests.factories.servicedesk import communities_of_two_stations
from tests.reports.builders import (
    FAILED,
    PENDING,
    SENT,
    UNCONFIRMED,
    at,
    delivery,
    happened,
    message,
    notice,
    request,
)

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

INJECTION = '=HYPERLINK("http://example.com")'


@pytest.fixture
def year_2024(clock, commits_at_once):
    """Four notices of 2024 (one cancelled, one with no known end, one published in the last
    half hour of the year Beijing time) and one of the first minutes of 2025; a commitment page;
    ledger rows either side of the new year; requests in every state."""
    n1 = notice(
        clock,
        "2024-03-01T10:00",
        "2024-03-02T08:00",
        "2024-03-02T14:00",
        utility="heat",
        kind="planned",
        cause="管网检修",
        title="停热一",
        slug="r-n1",
    )
    happened(n1, restored="2024-03-02T15:00")  # planned 6 h, actual 7 h
    n2 = notice(
        clock,
        "2024-03-01T10:05",
        "2024-03-05T08:00",
        "2024-03-05T18:00",
        utility="water",
        kind="emergency",
        cause="管网检修",
        title="停水二",
        slug="r-n2",
    )
    happened(n2, extended_to="2024-03-06T14:00", restored="2024-03-06T14:00")  # 10 h, 30 h
    n3 = notice(
        clock,
        "2024-03-01T10:10",
        "2024-04-01T08:00",
        "2024-04-01T20:00",
        utility="gas",
        kind="planned",
        cause=INJECTION,
        title="停气三",
        slug="r-n3",
    )
    record_update(n3.pk, "cancelled", occurred_at=at("2024-03-20T09:00"))
    # Published after its start: it starts at once; its end is unknown.
    notice(
        clock,
        "2024-12-31T23:30",
        "2024-12-31T20:00",
        None,
        utility="heat",
        kind="emergency",
        cause="阀门损坏",
        title="停热四",
        slug="r-n4",
    )
    notice(
        clock,
        "2025-01-01T00:10",
        "2025-01-02T08:00",
        "2025-01-02T12:00",
        utility="water",
        kind="planned",
        cause="管网检修",
        title="停水五",
        slug="r-n5",
    )

    clock("2024-05-01T09:00")
    make_commitment_page(CommitmentIndexPage.objects.get(), [], slug="r-commitment")

    sms = message(n1, "sms", "2024-03-01T10:01")
    delivery(sms, 1, SENT, "2024-03-01T10:02")
    delivery(sms, 2, FAILED, "2024-03-01T10:02")
    delivery(sms, 3, PENDING)  # never handed over: its message's year
    delivery(sms, 4, SENT, "2025-01-02T09:00")  # next year's
    wechat = message(n1, "wechat", "2024-12-31T23:50")
    delivery(wechat, 1, SENT, "2025-01-01T00:05")  # next year's
    delivery(wechat, 2, UNCONFIRMED, "2024-12-31T23:55")

    a, b = communities_of_two_stations()
    request(
        clock,
        "2024-03-01T10:00",
        a,
        first_contact_at="2024-03-01T10:30",
        closed_at="2024-03-02T06:00",
        rating=5,
    )  # contacted and closed in time
    request(
        clock,
        "2024-03-02T10:00",
        a,
        first_contact_at="2024-03-02T12:00",
        closed_at="2024-03-03T16:00",
        rating=3,
    )  # both late
    request(clock, "2024-12-31T23:30", b, status=RequestStatus.IN_PROGRESS)  # overdue by 2025-01-10
    request(
        clock,
        "2024-06-01T10:00",
        b,
        kind="temperature",
        first_contact_at="2024-06-01T11:00",
        closed_at="2024-06-01T20:00",
        rating=4,
    )
    request(clock, "2025-01-01T00:10", a)  # next year's
    request(clock, "2024-07-01T10:00", a, status=RequestStatus.UNVERIFIED)  # never counted
    clock("2025-01-10T09:00")
    return a.station, b.station


def by_key(rows):
    return {row.key: row for row in rows}


def test_items_published_per_column(year_2024):
    figures = compute_year(2024, at("2025-01-10T09:00"))
    columns = {row.column: row.published for row in figures.columns}
    assert columns["outages"] == 4
    assert columns["commitments"] == 1
    assert columns["regulations"] == 0
    assert columns["profile"] == 0
    assert figures.published_total == 5
    assert figures.final


def test_outages_by_utility_cause_and_duration(year_2024):
    figures = compute_year(2024, at("2025-01-10T09:00"))
    total = figures.outages
    assert (total.notices, total.planned_kind, total.emergency_kind, total.cancelled) == (
        4,
        2,
        2,
        1,
    )
    assert (total.planned_hours, total.actual_hours) == (16.0, 37.0)
    utilities = by_key(figures.outages_by_utility)
    assert list(utilities) == ["heat", "water", "gas", "power"]
    assert (utilities["heat"].notices, utilities["heat"].actual_hours) == (2, 7.0)
    assert (utilities["water"].emergency_kind, utilities["water"].actual_hours) == (1, 30.0)
    assert (utilities["gas"].cancelled, utilities["gas"].actual_hours) == (1, 0.0)
    assert utilities["power"].notices == 0
    causes = figures.outages_by_cause
    assert [(c.label, c.notices, c.actual_hours) for c in causes] == [
        ("管网检修", 2, 37.0),
        (INJECTION, 1, 0.0),
        ("阀门损坏", 1, 0.0),
    ]
    durations = {row.key: (row.planned, row.actual) for row in figures.durations}
    assert durations == {"short": (1, 1), "day": (1, 0), "long": (0, 1), "unknown": (1, 1)}


def test_deliveries_per_channel_in_the_year_they_were_handed_over(year_2024):
    channels = by_key_channel(compute_year(2024, at("2025-01-10T09:00")).messages)
    sms, wechat = channels["sms"], channels["wechat"]
    assert (sms.messages, sms.deliveries, sms.sent, sms.failed, sms.open) == (1, 3, 1, 1, 1)
    assert (wechat.messages, wechat.deliveries, wechat.sent, wechat.unconfirmed) == (1, 1, 0, 1)
    assert channels["robot"].deliveries == channels["press"].deliveries == 0
    assert compute_year(2025, at("2025-01-10T09:00")).sent_total == 2


def by_key_channel(rows):
    return {row.channel: row for row in rows}


def test_requests_against_deadlines_by_kind_and_station(year_2024):
    station_a, station_b = year_2024
    figures = compute_year(2024, at("2025-01-10T09:00"))
    total = figures.requests
    assert (total.received, total.closed, total.resolve_due, total.closed_in_time) == (4, 3, 4, 2)
    assert (total.open_overdue, total.contact_due, total.contacted_in_time) == (1, 4, 2)
    assert (total.ratings, total.satisfied) == (3, 2)
    assert (total.in_time_rate, total.contact_rate, total.satisfaction_rate) == (50.0, 50.0, 66.7)
    kinds = by_key(figures.requests_by_kind)
    assert list(kinds) == ["complaint", "consultation", "temperature", "suspension", "resumption"]
    assert (kinds["complaint"].received, kinds["complaint"].closed_in_time) == (3, 1)
    assert (kinds["temperature"].received, kinds["temperature"].satisfied) == (1, 1)
    assert kinds["consultation"].received == 0
    assert kinds["consultation"].in_time_rate is None
    stations = {row.label: row.received for row in figures.requests_by_station}
    assert stations == {station_a.name: 2, station_b.name: 2}


def test_a_running_year_is_not_final_and_counts_deadlines_as_of_now(year_2024):
    early = compute_year(2024, at("2024-12-31T23:40"))
    assert not early.final
    # The request of 23:30 is not due yet: due are the three closed ones.
    assert (early.requests.resolve_due, early.requests.open_overdue) == (3, 0)


def test_figures_survive_json(year_2024):
    figures = compute_year(2024, at("2025-01-10T09:00"))
    data = figures.to_json()
    assert AnnualFigures.from_json(data) == figures
    assert jsonable.load(AnnualFigures, {**data, "unknown": 1}) == figures


def test_causes_beyond_the_top_eight_are_summed_as_other():
    causes = [OutageFigure(f"c{i}", f"c{i}", notices=10 - i, actual_hours=1.5) for i in range(10)]
    top = top_causes(causes)
    assert [c.key for c in top] == [*(f"c{i}" for i in range(8)), "其他"]
    assert (top[-1].label, top[-1].notices, top[-1].actual_hours) == ("其他（2种原因）", 3, 3.0)
    assert top_causes(causes[:8]) == causes[:8]
