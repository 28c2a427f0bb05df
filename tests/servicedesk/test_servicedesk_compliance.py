"""The public compliance figures from a known set of requests: two stations, two months, a
deadline that runs across the National Day holidays, figures worked out by hand; the page,
its CSV and its feed show them, hold no personal data, stay within the query budget and are
dropped from the page cache when the figures change."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import feedparser
import pytest
from django.utils import timezone

from servicedesk.compliance import RequestFacts, tally
from servicedesk.enums import DayKind, RequestKind, RequestStatus
from servicedesk.models import CalendarDay, ComplianceFigure, ServiceRequest
from servicedesk.tasks import refresh_compliance
from tests.factories.servicedesk import communities_of_two_stations, make_request
from tests.feed_validation import validate_response
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SEPTEMBER, OCTOBER = date(2025, 9, 1), date(2025, 10, 1)
PAGE, OCTOBER_PAGE = "/service/compliance/", "/service/compliance/2025-10/"
CSV_URL, FEED, ATOM = (
    "/service/compliance/2025-10.csv",
    "/service/compliance/feed.rss",
    "/service/compliance/feed.atom",
)
ADDRESS = "8号楼3单元701"


def at(month, day, hour, minute=0):
    return timezone.make_aware(datetime(2025, month, day, hour, minute))


def national_day_2025():
    """The State Council's 2025 arrangement: 1–8 October off, 28 September and 11 October
    worked."""
    for day in range(1, 9):
        CalendarDay.objects.update_or_create(
            date=date(2025, 10, day), defaults={"kind": DayKind.HOLIDAY, "name": "国庆节、中秋节"}
        )
    for worked in (date(2025, 9, 28), date(2025, 10, 11)):
        CalendarDay.objects.update_or_create(
            date=worked, defaults={"kind": DayKind.WORKDAY, "name": "国庆节调休上班"}
        )


def request(community, kind, submitted, *, contacted=None, closed=None, rating=None, **fields):
    """A routed request whose deadlines come from the published commitments (and the holiday
    calendar), then handled at the given times."""
    made = make_request(kind=kind, community=community, submitted_at=submitted, address=ADDRESS)
    changes = {"first_contact_at": contacted, "rating": rating, **fields}
    if closed:
        changes.update(status=RequestStatus.CLOSED, closed_at=closed)
    ServiceRequest.objects.filter(pk=made.pk).update(**changes)
    made.refresh_from_db()
    return made


@pytest.fixture
def stations():
    return communities_of_two_stations()


@pytest.fixture
def known_set(stations):
    """The requests below, with what each one counts for (A and B are the two stations)."""
    ComplianceFigure.objects.all().delete()
    national_day_2025()
    a, b = stations
    made = {
        # September, station A.
        # 在线报停 on the eve of the holidays: 7 working days run 9, 10, 11 (worked Saturday),
        # 13–16 October, so the deadline is the end of 16 October; closed on the 15th, in time
        # (a plain Monday–Friday count would have ended on 9 October).
        "s1": request(
            a,
            RequestKind.SUSPENSION,
            at(9, 30, 16),
            contacted=at(10, 9, 9),  # 8 days 17 hours: 12540 minutes
            closed=at(10, 15, 12),
            rating=4,
        ),
        # 投诉建议: called after 20 minutes, closed after 25 hours (limit 24): late.
        "s2": request(
            a, RequestKind.COMPLAINT, at(9, 12, 8), contacted=at(9, 12, 8, 20), closed=at(9, 13, 9)
        ),
        # September, station B: never called, still open, long past its deadline.
        "s3": request(b, RequestKind.COMPLAINT, at(9, 20, 20)),
        # October, station A.
        "o1": request(
            a,
            RequestKind.COMPLAINT,
            at(10, 9, 9),
            contacted=at(10, 9, 9, 30),  # 30 minutes
            closed=at(10, 10, 5),  # 20 hours: in time
            rating=5,
        ),
        "o2": request(
            a,
            RequestKind.COMPLAINT,
            at(10, 10, 10),
            contacted=at(10, 10, 11, 30),  # 90 minutes
            closed=at(10, 11, 16),  # 30 hours: late
            rating=2,
        ),
        # Open, its deadline not yet passed (moved into the future): not yet due.
        "o3": request(
            a,
            RequestKind.CONSULTATION,
            at(10, 20, 10),
            contacted=at(10, 20, 10, 45),  # 45 minutes
            status=RequestStatus.IN_PROGRESS,
            resolve_due_at=timezone.now() + timedelta(days=5),
        ),
        # October, station B.
        # 7 working days from Thursday 30 October end with 10 November; closed on the 5th.
        "o4": request(
            b,
            RequestKind.SUSPENSION,
            at(10, 30, 15),
            contacted=at(10, 31, 9),  # 18 hours: 1080 minutes
            closed=timezone.make_aware(datetime(2025, 11, 5, 10)),
            rating=3,
        ),
        # No resolve deadline (its commitment unpublished when it came): neither due nor late.
        "o5": request(b, RequestKind.COMPLAINT, at(10, 25, 12), resolve_due_at=None),
        # Came to A, handed over to B: counts for B, where it is now.
        "o6": request(
            a,
            RequestKind.COMPLAINT,
            at(10, 15, 8),
            contacted=at(10, 15, 8, 10),  # 10 minutes
            closed=at(10, 15, 18),
            rating=4,
            station=b.station,
        ),
        # Number never proven: not counted anywhere.
        "x": request(b, RequestKind.COMPLAINT, at(10, 16, 9), status=RequestStatus.UNVERIFIED),
    }
    refresh_compliance("2025-09")
    refresh_compliance("2025-10")
    return made


def figures(month) -> dict:
    return {figure.station_id: figure for figure in ComplianceFigure.objects.filter(month=month)}


def summary(figure) -> tuple:
    return (
        figure.received,
        figure.due,
        figure.closed_in_time,
        figure.contacted,
        figure.median_contact_minutes,
        figure.open_overdue,
        figure.ratings,
        figure.satisfied,
        figure.rating_total,
    )


def test_the_holiday_calendar_sets_the_suspension_deadline(known_set):
    assert known_set["s1"].resolve_due_at == timezone.make_aware(datetime(2025, 10, 17))
    assert known_set["o4"].resolve_due_at == timezone.make_aware(datetime(2025, 11, 11))


def test_figures_worked_out_by_hand(known_set, stations):
    a, b = (community.station_id for community in stations)
    # (received, due, closed in time, contacted, median minutes, open overdue, ratings,
    #  satisfied, rating total)
    september = figures(SEPTEMBER)
    assert set(september) == {a, b, None}
    assert summary(september[a]) == (2, 2, 1, 2, Decimal("6280.0"), 0, 1, 1, 4)  # (12540+20)/2
    assert summary(september[b]) == (1, 1, 0, 0, None, 1, 0, 0, 0)
    assert summary(september[None]) == (3, 3, 1, 2, Decimal("6280.0"), 1, 1, 1, 4)
    assert september[None].in_time_rate == Decimal("33.3")
    assert september[b].in_time_rate == Decimal("0.0") and september[b].satisfaction_rate is None

    october = figures(OCTOBER)
    assert set(october) == {a, b, None}
    assert summary(october[a]) == (3, 2, 1, 3, Decimal("45.0"), 0, 2, 1, 7)  # 30, 45, 90
    assert summary(october[b]) == (3, 2, 2, 2, Decimal("545.0"), 0, 2, 1, 7)  # (10+1080)/2
    assert summary(october[None]) == (6, 4, 3, 5, Decimal("45.0"), 0, 4, 2, 14)
    assert (october[a].in_time_rate, october[b].in_time_rate) == (Decimal("50.0"), Decimal("100"))
    assert october[None].in_time_rate == Decimal("75.0")
    assert october[None].satisfaction_rate == Decimal("50.0")


def test_the_computation_alone():
    """Pure: the same rules without the database, at a chosen moment."""
    now = timezone.make_aware(datetime(2026, 1, 10, 12))
    due = timezone.make_aware(datetime(2026, 1, 10, 0))
    rows = [
        RequestFacts(1, RequestStatus.SUBMITTED, due - timedelta(days=1), None, None, due, None),
        RequestFacts(
            1, RequestStatus.IN_PROGRESS, due, due + timedelta(minutes=3), None, now, None
        ),
        RequestFacts(2, RequestStatus.CLOSED, due, due, due, due, 5),
    ]
    tallies = tally(rows, now)
    # The second is open with its deadline exactly now: not yet passed.
    assert (tallies[1].due, tallies[1].open_overdue, tallies[1].contacted) == (1, 1, 1)
    assert tallies[1].median_contact_minutes() == Decimal("3.0")
    assert (tallies[2].due, tallies[2].closed_in_time, tallies[2].satisfied) == (1, 1, 1)
    assert tallies[None].received == 3 and tallies[None].contacted == 2
    assert tallies[None].median_contact_minutes() == Decimal("1.5")


def test_the_page_shows_the_figures(client, known_set, stations):
    a, b = stations
    page = client.get(PAGE).content.decode()  # the latest month
    assert "2025年10月各供热站服务诉求办理情况" in page
    assert 'href="/service/compliance/2025-09/"' in page and 'aria-current="page"' in page
    assert a.station.name in page and b.station.name in page and "全公司" in page
    assert "75.0%" in page and "（3/4）" in page  # company: in time / due
    assert "100.0%" in page and "（1/2）" in page  # B and A
    assert "45分钟" in page and "9小时5分钟" in page  # medians of A and B
    assert 'scope="col"' in page and 'scope="row"' in page and "<caption" in page
    assert 'href="/commitments/"' in page

    september = client.get("/service/compliance/2025-09/").content.decode()
    assert "2025年9月" in september and "33.3%" in september
    assert "4天8小时" in september  # 6280 minutes
    assert "—" in september  # B: nobody contacted, nobody rated

    assert client.get("/service/compliance/2024-01/").status_code == 404
    assert client.get("/service/compliance/2025-13/").status_code == 404


def test_before_any_figures_the_page_says_so(client):
    ComplianceFigure.objects.all().delete()
    response = client.get(PAGE)
    assert response.status_code == 200 and "暂无统计数据" in response.content.decode()
    response = client.get(FEED)
    validate_response(response)
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.entries == []
    validate_response(client.get(ATOM))


def test_the_csv_matches_the_figures(client, known_set, stations):
    a, b = stations
    response = client.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *body = rows
    assert header[:6] == ["月份", "供热站", "受理数", "应办结数", "按时办结数", "按时办结率（%）"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {a.station.name, b.station.name, "全公司"}
    assert body[-1][1] == "全公司"
    company = by_name["全公司"]
    assert (company["受理数"], company["应办结数"], company["按时办结数"]) == ("6", "4", "3")
    assert company["按时办结率（%）"] == "75.0"
    assert company["首次联系用时中位数（分钟）"] == "45.0"
    assert (company["评价数"], company["满意数"], company["满意率（%）"]) == ("4", "2", "50.0")
    assert by_name[b.station.name]["首次联系用时中位数（分钟）"] == "545.0"
    assert client.get("/service/compliance/2024-01.csv").status_code == 404


def test_the_feed_has_a_month_per_item_with_a_stable_guid(client, known_set):
    validate_response(client.get(FEED))
    validate_response(client.get(ATOM))
    feed = feedparser.parse(client.get(FEED).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == [
        "2025年10月服务诉求办理情况",
        "2025年9月服务诉求办理情况",
    ]
    october = feed.entries[0]
    assert october.id == "tag:localhost,2026:servicedesk-compliance-2025-10"
    assert october.link.endswith("/service/compliance/2025-10/")
    assert "受理6件" in october.description and "按时办结率75.0%" in october.description
    atom = feedparser.parse(client.get(ATOM).content)
    assert not atom.bozo and atom.entries[0].id == october.id

    # A late rating changes October's figures: the same item, a new date.
    ServiceRequest.objects.filter(pk=known_set["o5"].pk).update(
        status=RequestStatus.CLOSED, closed_at=timezone.now(), rating=1
    )
    assert refresh_compliance("2025-10")["changed"] == ["2025-10"]
    again = feedparser.parse(client.get(FEED).content).entries[0]
    assert again.id == october.id and "评价5条" in again.description
    assert again.published_parsed >= october.published_parsed


def test_an_unchanged_feed_answers_304(client, known_set):
    response = client.get(FEED)
    repeat = client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"])
    assert repeat.status_code == 304


def test_no_personal_data_anywhere(client, known_set):
    bodies = [client.get(url).content.decode("utf-8-sig") for url in (PAGE, CSV_URL, FEED, ATOM)]
    bodies.append(client.get("/service/compliance/2025-09/").content.decode())
    for made in known_set.values():
        for body in bodies:
            assert made.phone not in body
            assert made.reference not in body
            assert made.description not in body
    assert not any(ADDRESS in body for body in bodies)


@pytest.mark.parametrize("url", [PAGE, OCTOBER_PAGE, CSV_URL, FEED, ATOM])
def test_each_view_stays_within_the_query_budget(client, known_set, settings, url):
    settings.PAGE_CACHE_TIMEOUT = 0  # count the rendering, not a cache hit
    assert queries_for(client, url) <= 10


def test_a_refresh_that_changes_the_figures_drops_the_cached_responses(client, known_set):
    for url in (OCTOBER_PAGE, CSV_URL, FEED):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    # Nothing changed: the rows stay, so does the cache.
    assert refresh_compliance("2025-10")["changed"] == []
    assert client.get(OCTOBER_PAGE)["X-Page-Cache"] == "hit"

    ServiceRequest.objects.filter(pk=known_set["o3"].pk).update(
        status=RequestStatus.CLOSED, closed_at=timezone.now()
    )
    assert refresh_compliance("2025-10")["changed"] == ["2025-10"]
    for url in (OCTOBER_PAGE, CSV_URL, FEED):
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
    assert "（4/5）" in client.get(OCTOBER_PAGE).content.decode()  # o3 closed, in time
