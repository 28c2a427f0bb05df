"""A collection's page and each of its channels stay within the page budget (10 SQL queries),
whatever the number of notices it holds and of communities its places cover."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from disclosure.models import CataloguePage
from tests.collections_app.helpers import make_area, make_branch, make_collection
from tests.factories.contacts import make_communities
from tests.factories.notices import make_notice
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PAGE_BUDGET = 10


def urls(collection) -> list[str]:
    pk = collection.pk
    return [
        collection.url,
        collection.url + "?page=2",
        f"/feeds/collection/{pk}.rss",
        f"/feeds/collection/{pk}.atom",
        f"/calendar/collection/{pk}.ics",
        f"/api/collections/{pk}/",
    ]


def outages(communities, count: int) -> None:
    start = timezone.make_aware(datetime(2026, 12, 10, 8))
    for number in range(count):
        make_notice(
            communities=communities,
            starts_at=start + timedelta(hours=number),
            ends_at=start + timedelta(hours=number + 4),
        )


def test_pages_and_channels_stay_within_the_budget_as_they_grow(
    client, settings, commits_at_once, clock
):
    settings.PAGE_CACHE_TIMEOUT = 0  # count the rendering, not a cache hit
    clock("2026-12-09T10:00")
    branch = make_branch()
    station, communities = make_area(branch)
    _other, (elsewhere, _) = make_area(branch)
    collection = make_collection(
        utilities=["water"], branches=[branch], stations=[station], communities=[elsewhere]
    )
    under_the_catalogue = make_collection(CataloguePage.objects.get(), stations=[station])
    pages = [*urls(collection), under_the_catalogue.url]
    outages(communities, 2)
    before = {url: queries_for(client, url) for url in pages}
    assert max(before.values()) <= PAGE_BUDGET, before
    make_communities(150, station=station)
    outages([*communities, elsewhere], 25)  # more than a page, with more communities each
    after = {url: queries_for(client, url) for url in pages}
    assert after == before
