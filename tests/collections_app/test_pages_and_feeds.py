"""A collection's page and channels: the list a resident reads, RSS and Atom valid as their
specifications define them (tests/feed_validation.py) with the catalogue's metadata, the notices'
events in iCalendar, JSON, conditional GET, and nothing for a collection that is not live."""

from datetime import datetime, timedelta

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar
from lxml import etree, html

from catalogue.feeds import NAMESPACE
from tests.catalogue.helpers import regulation
from tests.collections_app.helpers import make_area, make_collection
from tests.factories.notices import make_notice
from tests.feed_validation import validate_response

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
TITLES = '//ul[@class="notice-list"]/li/h3/a'


@pytest.fixture(autouse=True)
def _setup(commits_at_once, clock):
    clock("2026-12-09T10:00")


@pytest.fixture
def area():
    return make_area()


def water(community, **fields):
    start = timezone.make_aware(datetime(2026, 12, 10, 8))
    defaults = {"utility": "water", "starts_at": start, "ends_at": start + timedelta(hours=10)}
    return make_notice(communities=[community], **{**defaults, **fields})


def channels(collection) -> dict[str, str]:
    pk = collection.pk
    return {
        "rss": f"/feeds/collection/{pk}.rss",
        "atom": f"/feeds/collection/{pk}.atom",
        "ical": f"/calendar/collection/{pk}.ics",
        "json": f"/api/collections/{pk}/",
    }


def test_the_page_lists_what_the_query_selects(client, area):
    station, (community, _) = area
    shown = water(community, title="测试专题里的停水通知")
    gas = water(community, utility="gas", title="测试专题外的停气通知")
    collection = make_collection(
        title="测试站本周停水", utilities=["water"], stations=[station], window="this_week"
    )
    response = client.get(collection.url)
    assert response.status_code == 200
    page = html.fromstring(response.content)
    titles = [a.text_content() for a in page.xpath(TITLES)]
    assert titles == [shown.title]
    assert gas.title not in response.content.decode()
    assert page.xpath(TITLES)[0].get("href") == shown.url
    criteria = [li.text_content() for li in page.xpath('//ul[@class="filters"]/li')]
    assert criteria == ["停供类型：停水", f"范围：{station.name}", "时间：本周"]
    assert "日期范围：2026年12月7日至2026年12月13日" in response.content.decode()
    alternates = {
        link.get("type"): link.get("href") for link in page.xpath('//link[@rel="alternate"]')
    }
    assert alternates == {
        "application/rss+xml": f"http://localhost{channels(collection)['rss']}",
        "application/atom+xml": f"http://localhost{channels(collection)['atom']}",
        "text/calendar": f"http://localhost{channels(collection)['ical']}",
        "application/json": f"http://localhost{channels(collection)['json']}",
    }


def test_the_page_is_paginated_without_javascript(client, area, monkeypatch):
    monkeypatch.setattr("collections_app.models.PAGE_SIZE", 2)
    _station, (community, _) = area
    notices = [water(community) for _ in range(3)]  # the newest change first
    collection = make_collection(communities=[community])
    first = html.fromstring(client.get(collection.url).content)
    assert [a.text_content() for a in first.xpath(TITLES)] == [
        notices[2].title,
        notices[1].title,
    ]
    assert first.xpath('//a[@rel="next"]')[0].get("href") == "?page=2"
    assert not first.xpath('//a[@rel="prev"]')
    second = html.fromstring(client.get(collection.url + "?page=2").content)
    assert [a.text_content() for a in second.xpath(TITLES)] == [notices[0].title]
    assert not second.xpath('//a[@rel="next"]')
    assert client.get(collection.url + "?page=x").status_code == 200  # the first page
    assert "这一页没有内容" in client.get(collection.url + "?page=9").content.decode()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_are_valid_and_carry_the_catalogue_metadata(client, area, kind):
    station, (community, _) = area
    notice = water(community)
    rule = regulation()
    collection = make_collection(
        page_types=["notices.outagenoticepage", "regulations.regulationpage"],
        keyword="",
        search_description="测试专题的说明",
    )
    make_collection(stations=[station])  # another collection: its own items, its own feed
    response = client.get(channels(collection)[kind])
    assert response.status_code == 200
    validate_response(response)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.feed.title == collection.title
    ids = [entry.id for entry in parsed.entries]
    assert f"tag:localhost,2026:notice-{notice.pk}" in ids  # the notices' own GUIDs
    assert f"tag:localhost,2026:page-{rule.pk}" in ids
    entry = next(e for e in parsed.entries if e.id.endswith(f"notice-{notice.pk}"))
    assert entry.link == f"http://localhost{notice.url}"
    tree = etree.fromstring(response.content)
    assert tree.find(f".//{{{NAMESPACE}}}indexNumber") is not None
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_an_empty_collection_has_valid_feeds(client, kind):
    collection = make_collection(keyword="没有任何信息含有这句话")
    response = client.get(channels(collection)[kind])
    validate_response(response)
    assert not feedparser.parse(response.content).entries


def test_the_calendar_has_the_notices_as_their_own_events(client, area):
    _station, (community, _) = area
    notice = water(community)
    regulation()
    collection = make_collection(columns=["outages", "regulations"], communities=[community])
    response = client.get(channels(collection)["ical"])
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == collection.title
    [event] = calendar.walk("VEVENT")  # the regulation is no event
    assert str(event["UID"]) == f"notice-{notice.pk}@localhost"
    assert str(event["URL"]) == f"http://localhost{notice.url}"


def test_json_gives_the_criteria_and_the_items_as_the_catalogue_does(client, area):
    station, (community, _) = area
    notice = water(community)
    collection = make_collection(utilities=["water"], stations=[station], window="next_7_days")
    response = client.get(channels(collection)["json"])
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["id"] == f"tag:localhost,2026:collection-{collection.pk}"
    assert body["criteria"]["stations"] == [station.name]
    assert body["criteria"]["window"] == {
        "code": "next_7_days",
        "label": "未来7天（含今天）",
        "first_day": "2026-12-09",
        "last_day": "2026-12-15",
    }
    [item] = body["items"]
    assert item["id"] == f"tag:localhost,2026:notice-{notice.pk}"
    assert item["url"] == f"http://localhost{notice.url}"
    assert item["extra"]["utility"] == "water"
    assert body["links"]["collection_feed_atom"].endswith(f"/feeds/collection/{collection.pk}.atom")


def test_channels_answer_conditional_gets(client, area):
    _station, (community, _) = area
    water(community)
    collection = make_collection(communities=[community])
    for url in channels(collection).values():
        first = client.get(url)
        assert first["ETag"] and first["Last-Modified"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert client.post(url).status_code == 405, url


def test_a_collection_that_is_not_live_has_no_channels(client, area):
    collection = make_collection()
    urls = channels(collection)
    collection.unpublish()
    for url in urls.values():
        assert client.get(url).status_code == 404, url
    notice = water(area[1][0])
    assert client.get(f"/feeds/collection/{notice.pk}.rss").status_code == 404  # no collection
