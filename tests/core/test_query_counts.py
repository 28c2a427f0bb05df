"""Public page views stay within 10 SQL queries, and the directory's count does not grow with
the number of communities. Counts are taken after one warm-up view, as in production where the
site chrome and directory facets are already cached."""

import pytest

from contacts.models import Station
from tests.factories.contacts import make_communities
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PAGE_BUDGET = 10
PUBLIC_URLS = [
    "/",
    "/commitments/",
    "/commitments/service-standard/",
    "/faq/",
    "/faq/?category=fees",
    "/faq/why-more-than-last-year/",
    "/directory/",
    "/directory/?q=xy",
    "/directory/?district=绿园区",
    "/directory/LY-0001/",
    "/service/",
    "/service/temperature/?community=LY-0001",
    "/service/temperature/?q=xy",
    "/service/compliance/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_stay_within_the_query_budget(client, url):
    assert queries_for(client, url) <= PAGE_BUDGET


@pytest.mark.parametrize("url", ["/directory/", "/directory/?q=测试", "/directory/LY-0001/"])
def test_directory_queries_do_not_grow_with_communities(client, url):
    station = Station.objects.get(name="第三供热所")
    make_communities(1, station=station)
    before = queries_for(client, url)
    make_communities(150, station=station)
    after = queries_for(client, url)
    assert after == before
