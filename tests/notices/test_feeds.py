"""The disclosure portal's feeds: valid RSS and Atom, stable GUIDs, conditional GET.

Valid as the specifications define it (tests/feed_validation.py: RFC 4287's schema and rules,
RSS 2.0's), not only as feedparser, which reads what a strict reader refuses, takes it."""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Community
from notices.lifecycle.transitions import record_update
from notices.models import OutageNoticePage
from tests.factories.notices import make_notice
from tests.feed_validation import validate_response

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

FEEDS = [
    "/feeds/notices.rss",
    "/feeds/notices.atom",
    "/feeds/major.rss",
    "/feeds/major.atom",
    "/feeds/utility/heat.rss",
    "/feeds/utility/water.atom",
    "/feeds/community/LY-0001.rss",
    "/feeds/community/KC-0001.atom",
    "/feeds/column/outages.rss",
    "/feeds/column/commitments.atom",
    "/feeds/column/regulations.rss",
]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    validate_response(response)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return response, parsed


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_cleanly_with_absolute_links(client, url):
    response, parsed = parse(client, url)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"]
    if parsed.entries:
        assert response["Last-Modified"]
    for entry in parsed.entries:
        assert entry.link.startswith("http://localhost/")
        assert entry.id.startswith("tag:localhost,2026:")


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_is_valid_rss_2_or_atom_1(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    validate_response(response)  # raises FeedInvalid, listing every problem


def entry_for(parsed, notice):
    [entry] = [e for e in parsed.entries if e.id == f"tag:localhost,2026:notice-{notice.pk}"]
    return entry


def test_major_feed_carries_only_major_outages(client):
    _, parsed = parse(client, "/feeds/major.rss")
    titles = [entry.title for entry in parsed.entries]
    assert "【预告】黄河路与东八条交会处燃气管网改造停气通知" in titles
    assert not any("管道破裂" in title for title in titles)  # a 6-hour outage
    assert parsed.feed.title == "8小时以上停供通知"


def test_guid_survives_a_rename_and_an_update_changes_only_the_updated_time(client):
    notice = make_notice(title="原标题", slug="original-slug")
    _, first = parse(client, "/feeds/notices.atom")
    before = entry_for(first, notice)

    notice = OutageNoticePage.objects.get(pk=notice.pk)
    notice.title, notice.slug = "新标题", "renamed-slug"
    notice.save_revision().publish()
    record_update(
        notice.pk, "extended", new_ends_at=notice.starts_at + timedelta(hours=30), text="延长"
    )
    _, second = parse(client, "/feeds/notices.atom")
    after = entry_for(second, notice)

    assert after.id == before.id
    assert after.link.endswith("/notices/renamed-slug/")
    assert after.title == "【预告】新标题"
    assert after.updated != before.updated
    assert "延长" in after.summary


def test_community_and_utility_feeds_select_their_notices(client):
    notice = make_notice(communities=[Community.objects.get(code="KC-0002")], utility="gas")
    _, community = parse(client, "/feeds/community/KC-0002.rss")
    ids = {entry.id for entry in community.entries}
    assert f"tag:localhost,2026:notice-{notice.pk}" in ids
    assert all("奎文嘉苑" in entry.summary for entry in community.entries)
    _, heat = parse(client, "/feeds/utility/heat.rss")
    assert f"tag:localhost,2026:notice-{notice.pk}" not in {entry.id for entry in heat.entries}
    assert client.get("/feeds/utility/electricity.rss").status_code == 404
    assert client.get("/feeds/community/NO-SUCH.rss").status_code == 404
    assert client.get("/feeds/column/unknown.rss").status_code == 404


@pytest.mark.parametrize(("page_cache_timeout", "queries"), [(0, 1), (600, 0)])
def test_unchanged_feed_answers_304_without_rendering(
    client, settings, page_cache_timeout, queries
):
    """One small query without the page cache; none when the feed is in it."""
    settings.PAGE_CACHE_TIMEOUT = page_cache_timeout
    response = client.get("/feeds/major.rss")
    with CaptureQueriesContext(connection) as captured:
        cached = client.get("/feeds/major.rss", HTTP_IF_NONE_MATCH=response["ETag"])
    assert cached.status_code == 304
    assert cached.content == b""
    assert len(captured) == queries
    since = client.get("/feeds/major.rss", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304

    make_notice(ends_at=None)  # a new major notice changes the feed
    fresh = client.get("/feeds/major.rss", HTTP_IF_NONE_MATCH=response["ETag"])
    assert fresh.status_code == 200
    assert fresh["ETag"] != response["ETag"]


def test_column_feeds_map_the_disclosure_columns(client):
    _, commitments = parse(client, "/feeds/column/commitments.rss")
    assert {"服务标准与业务办理时限", "社会服务承诺制度"} <= {e.title for e in commitments.entries}
    _, outages = parse(client, "/feeds/column/outages.rss")
    _, everything = parse(client, "/feeds/notices.rss")
    assert [e.id for e in outages.entries] == [e.id for e in everything.entries]


def test_feed_query_count_is_constant(client):
    def count():
        client.get("/feeds/notices.rss")
        with CaptureQueriesContext(connection) as captured:
            client.get("/feeds/notices.rss")
        return len(captured)

    before = count()
    for _ in range(10):
        notice = make_notice(communities=[Community.objects.get(code="LY-0001")])
        record_update(notice.pk, "info", text="进展")
    assert count() == before <= 10
