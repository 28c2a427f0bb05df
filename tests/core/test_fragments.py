"""core.fragments: a notice's body and the 信息索引 box rendered once and kept, rebuilt exactly
when what they show changes; each reader gets their own CSRF token; previews never kept.
The page cache is off here, so every view runs and assembles its page from fragments."""

import re

import pytest
from wagtail.models import Site

from contacts.models import Community, Station
from core import fragments
from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db

BODY_TEMPLATE = "notices/includes/notice_map.html"  # rendered only with the body


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    fragments.clear()


def view(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def body_rendered(response) -> bool:
    return BODY_TEMPLATE in [template.name for template in response.templates]


@pytest.fixture
def notice():
    station = Station.objects.filter(phone__gt="").first()
    community = Community.objects.filter(station=station).first()
    return make_notice(title="片段测试通知", station=station, communities=[community])


def test_the_body_is_rendered_once_and_assembled_after(client, notice):
    first, first_html = view(client, notice.url)
    second, second_html = view(client, notice.url)
    assert body_rendered(first) and not body_rendered(second)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", first_html) == strip.sub("", second_html)
    assert "片段测试通知" in second_html


def test_the_index_box_is_kept_until_the_catalogue_records_a_change(client):
    from catalogue.models import CatalogueItem
    from core import page_cache
    from notices.models import OutageNoticePage

    notice = OutageNoticePage.objects.get(slug="xingyu-east-pump-station-water")
    item = CatalogueItem.objects.get(page_id=notice.pk)
    assert item.index_number in view(client, notice.url)[1]
    changed = {**item.snapshot, "publisher": "改过的发布机构"}
    CatalogueItem.objects.filter(pk=item.pk).update(snapshot=changed)
    assert "改过的发布机构" not in view(client, notice.url)[1]  # kept: no change recorded
    page_cache.invalidate("catalogue")  # as catalogue.changes does for every recorded change
    assert "改过的发布机构" in view(client, notice.url)[1]


def test_a_timeline_entry_a_station_and_a_community_change_show_at_once(client, notice):
    view(client, notice.url)
    record_update(notice.pk, UpdateKind.INFO, text="抢修人员已到达现场")
    assert "抢修人员已到达现场" in view(client, notice.url)[1]
    station = notice.station
    station.phone = "0431-88886666"
    station.save()
    assert "0431-88886666" in view(client, notice.url)[1]
    community = notice.communities.get()
    community.name = "片段测试改名小区"
    community.save()
    response, html = view(client, notice.url)
    assert "片段测试改名小区" in html and body_rendered(response)
    assert not body_rendered(view(client, notice.url)[0])


def test_each_reader_gets_their_own_csrf_token(client, notice, django_user_model):
    from django.test import Client

    view(client, notice.url)
    tokens = set()
    for reader in (Client(), Client()):
        html = view(reader, notice.url)[1]
        assert fragments.PLACEHOLDER not in html
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found and reader.cookies["csrftoken"].value
        tokens.update(found)
    assert len(tokens) == 2


def test_a_preview_shows_the_draft_not_the_kept_body(client, notice):
    view(client, notice.url)
    notice.cause = "草稿里的新原因"
    preview = notice.make_preview_request()
    assert "草稿里的新原因" in preview.content.decode()
    assert "草稿里的新原因" not in view(client, notice.url)[1]


def test_a_feed_item_keeps_its_wording_until_a_notice_or_the_directory_changes(client, notice):
    from django.utils.html import escape

    url = "/feeds/major.rss"
    assert "片段测试通知" in view(client, url)[1]
    record_update(notice.pk, UpdateKind.INFO, text="供水管道已焊接完毕")
    assert "供水管道已焊接完毕" in view(client, url)[1]
    community = notice.communities.get()
    community.name = "订阅源里改名的小区"
    community.save()
    assert escape("订阅源里改名的小区") in view(client, url)[1]


def test_feeds_keep_no_request_on_their_shared_instance(client):
    """Two threads of a gunicorn worker serve feeds at once: the links of one request must not
    be built from another's."""
    from notices.channels import feeds

    view(client, "/feeds/major.rss")
    shared = feeds.major_rss.__wrapped__  # the module's instance, under core.conditional
    assert isinstance(shared, feeds.NoticeFeed)
    assert not hasattr(shared, "request")  # each request had its copy (gunicorn's threads)


def test_an_ended_notice_leaves_the_list_and_the_community_page_with_no_change(client, clock):
    """Which notices a list shows is kept (core.memo) until the first of them ends: time
    alone, with nothing saved, takes an ended notice off."""
    clock("2026-12-04T10:00")
    community = Community.objects.first()
    make_notice(title="将要结束的通知", communities=[community])  # tomorrow 10:00 to 22:00
    pages = ["/notices/", f"/directory/{community.code}/"]
    for url in pages:
        assert "将要结束的通知" in view(client, url)[1], url
    clock("2026-12-05T21:59")
    for url in pages:
        assert "将要结束的通知" in view(client, url)[1], url
    clock("2026-12-05T22:01")
    for url in pages:
        assert "将要结束的通知" not in view(client, url)[1], url


def test_a_community_page_shows_a_directory_change_at_once(client, notice):
    community = notice.communities.get()
    url = f"/directory/{community.code}/"
    view(client, url)
    station = community.station
    station.phone = "0431-87776655"
    station.save()
    assert "0431-87776655" in view(client, url)[1]
    community.name = "目录里改名的小区"
    community.save()
    assert "目录里改名的小区" in view(client, url)[1]
    community.delete()
    assert client.get(url).status_code == 404


def test_a_notice_feed_is_written_once_per_change(client, notice, monkeypatch):
    from notices.channels.feeds import NoticeFeed

    written = []
    get_feed = NoticeFeed.get_feed
    monkeypatch.setattr(
        NoticeFeed, "get_feed", lambda self, *args: written.append(1) or get_feed(self, *args)
    )
    url = "/feeds/major.rss"
    first = client.get(url)
    assert client.get(url).content == first.content
    assert len(written) == 1
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make_notice(title="又一条大停供", station=notice.station)
    assert "又一条大停供" in view(client, url)[1]
    assert len(written) == 2
    site = Site.objects.get(is_default_site=True)
    site.site_name = "改名后的供热公司"
    site.save()
    assert "改名后的供热公司" in view(client, "/feeds/major.atom")[1]
