"""A collection's page and channels are cached like the fixed listings (core.page_cache) and
dropped exactly: by a change of an item the query can select, once the catalogue has recorded
it, by a change of an item they show, by a change of the directory for a collection of places,
by the collection's own publication, and when its window of dates moves on; not by items that
cannot match."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from collections_app.models import CollectionPage
from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from tests.catalogue.helpers import regulation
from tests.collections_app.helpers import make_area, make_branch, make_collection
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture(autouse=True)
def _setup(commits_at_once, clock):
    clock("2026-12-09T10:00")


def urls(collection) -> list[str]:
    pk = collection.pk
    return [
        collection.url,
        f"/feeds/collection/{pk}.rss",
        f"/feeds/collection/{pk}.atom",
        f"/calendar/collection/{pk}.ics",
        f"/api/collections/{pk}/",
    ]


def warm(client, collection) -> None:
    for url in urls(collection):
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == "hit", url


def cached(client, collection) -> list[bool]:
    return [client.get(url).get("X-Page-Cache") == "hit" for url in urls(collection)]


def fresh(client, collection) -> list[str]:
    """Each response, asserting it was rendered afresh."""
    bodies = []
    for url in urls(collection):
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
        bodies.append(response.content.decode())
    return bodies


def outage(community, utility="water", **fields):
    start = timezone.make_aware(datetime(2026, 12, 10, 8))
    return make_notice(
        communities=[community],
        utility=utility,
        starts_at=start,
        ends_at=start + timedelta(hours=10),
        **fields,
    )


def test_publishing_a_matching_notice_drops_the_collection(client):
    station, (community, _) = make_area()
    collection = make_collection(utilities=["water"], stations=[station], window="this_week")
    warm(client, collection)
    notice = outage(community, title="新发布的测试站停水通知")
    for body in fresh(client, collection):
        assert f"notice-{notice.pk}" in body or notice.title in body
    assert cached(client, collection) == [True] * 5


def test_notices_that_cannot_match_leave_it_cached(client):
    branch = make_branch()
    station, _ = make_area(branch)
    _elsewhere, (other_community, _) = make_area()
    by_place = make_collection(utilities=["water"], stations=[station])
    by_branch = make_collection(branches=[branch])
    _gas_station, (gas_community, _) = make_area()
    by_utility = make_collection(utilities=["gas"])
    for collection in (by_place, by_branch, by_utility):
        warm(client, collection)
    outage(other_community)  # water, but in another station's community
    assert cached(client, by_place) == [True] * 5
    assert cached(client, by_branch) == [True] * 5
    assert cached(client, by_utility) == [True] * 5  # water is not gas
    outage(gas_community, utility="gas")
    fresh(client, by_utility)
    assert cached(client, by_place) == [True] * 5


def test_an_item_it_shows_that_changes_or_leaves_drops_it(client):
    station, (community, other) = make_area()
    _elsewhere, (outside, _) = make_area()
    shown = outage(community, title="测试站停水通知")
    collection = make_collection(stations=[station], states=["scheduled", "extended"])
    warm(client, collection)
    record_update(
        shown.pk,
        UpdateKind.EXTENDED,
        text="测试延长",
        new_ends_at=shown.ends_at + timedelta(hours=6),
    )
    assert all("已延长" in body or "extended" in body for body in fresh(client, collection)[:3])
    # Moved to a community outside the station: it leaves.
    draft = shown.get_latest_revision_as_object()
    draft.communities.set([outside])
    draft.save_revision().publish()
    body = fresh(client, collection)[0]
    assert shown.title not in body
    shown_again = outage(other, title="再次发布的测试站停水通知")
    warm(client, collection)
    shown_again.unpublish()
    assert shown_again.title not in fresh(client, collection)[0]


def test_a_community_joining_the_station_drops_it(client):
    station, _ = make_area()
    _other, (community, _) = make_area()
    notice = outage(community, title="换站小区的停水通知")
    collection = make_collection(stations=[station])
    warm(client, collection)
    assert notice.title not in client.get(collection.url).content.decode()
    community.station = station
    community.save()
    assert notice.title in fresh(client, collection)[0]


def test_publishing_the_collection_again_drops_it(client):
    collection = make_collection(columns=["regulations"])
    warm(client, collection)
    draft = collection.get_latest_revision_as_object()
    draft.title = "改名后的测试专题"
    draft.save_revision().publish()
    assert all("改名后的测试专题" in body for body in fresh(client, collection))


def test_other_columns_and_page_types(client):
    station, (community, _) = make_area()
    rules = make_collection(columns=["regulations"])
    by_type = make_collection(page_types=["regulations.regulationpage"])
    notices = make_collection(stations=[station])
    for collection in (rules, by_type, notices):
        warm(client, collection)
    rule = regulation(title="新的测试管理办法")
    assert rule.title in fresh(client, rules)[0]
    assert rule.title in fresh(client, by_type)[0]
    assert cached(client, notices) == [True] * 5
    outage(community)
    assert cached(client, rules) == [True] * 5


def test_a_window_is_cached_until_it_moves_on(client, clock):
    clock("2026-12-13T23:59:00")  # Sunday, a minute before the week moves on
    station, (community, _) = make_area()
    start = timezone.make_aware(datetime(2026, 12, 14, 8))
    monday = make_notice(
        communities=[community],
        title="下周一的停水通知",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
    )
    collection = make_collection(stations=[station], window="this_week")
    warm(client, collection)
    feed = client.get(urls(collection)[1])
    assert 0 < int(feed["Cache-Control"].split("max-age=")[1]) <= 60  # not past midnight
    assert monday.title not in client.get(collection.url).content.decode()
    clock.shift(61)
    bodies = fresh(client, collection)
    assert monday.title in bodies[0]
    assert f"notice-{monday.pk}" in bodies[1]
    assert cached(client, collection) == [True] * 5


def test_a_collection_of_everything_follows_every_change(client):
    everything = make_collection()
    warm(client, everything)
    rule = regulation(title="全部信息里的新办法")
    assert rule.title in fresh(client, everything)[0]
    assert CollectionPage.objects.get(pk=everything.pk).live
