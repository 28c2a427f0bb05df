"""The whole-response cache (core.page_cache): anonymous pages and feeds are served from it,
and a publish, unpublish, update or directory change drops exactly the responses that show
the changed content, at once: no stale page after a publish, and nothing else recomputed."""

import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar

from contacts.models import Community, Station
from faq.models import QuestionPage
from home.models import SiteSettings
from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

COMMUNITY = "LY-0001"  # 星宇小区
OTHER = "NG-0001"
PAGES = {
    "home": "/",
    "notices": "/notices/",
    "major": "/feeds/major.rss",
    "all": "/feeds/notices.atom",
    "cap": "/cap/index.atom",
    "api": "/api/notices/",
    "community": f"/directory/{COMMUNITY}/",
    "community-feed": f"/feeds/community/{COMMUNITY}.rss",
    "community-ical": f"/calendar/community/{COMMUNITY}.ics",
    "other-community": f"/directory/{OTHER}/",
    "directory": "/directory/",
    "faq": "/faq/",
    "commitments": "/commitments/service-standard/",
    "search": "/search/?q=星宇&type=notices",
}


def served_from_cache(client, url) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get("X-Page-Cache") == "hit"


def warm(client, *names):
    for name in names:
        client.get(PAGES[name])
        if name == "search":  # stored when asked again (page_cache.store_if_asked_again)
            client.get(PAGES[name])
        assert served_from_cache(client, PAGES[name]), name


def fresh(client, name) -> str:
    """The page, asserting it was rendered afresh (not served from the cache)."""
    response = client.get(PAGES[name])
    assert response.get("X-Page-Cache") != "hit", name
    return response.content.decode()


def test_a_cached_page_costs_no_query(client):
    client.get("/notices/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/notices/")
    assert response["X-Page-Cache"] == "hit"
    assert len(captured) == 0


class CountingCache:
    """The page cache's calls to the shared cache, each one a round trip with Redis."""

    def __init__(self, cache):
        self.cache, self.calls, self.keys = cache, [], []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            if name == "get_many":
                self.keys.extend(args[0])
            return method(*args, **kwargs)

        return counted


def test_a_hit_costs_one_cache_round_trip(client, monkeypatch):
    """The response and its tokens' mark together; only the mark where this process keeps a
    copy of the response, found current under that mark."""
    from core import page_cache

    warm(client, "community")
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    assert served_from_cache(client, PAGES["community"])
    assert counting.calls == ["get"]
    page_cache._copies.clear()  # as a process that did not serve it yet
    counting.calls.clear()
    assert served_from_cache(client, PAGES["community"])
    assert counting.calls == ["get_many"]


def test_a_stale_copy_costs_the_mark_once(client, monkeypatch):
    """After a change, a process holding a copy reads the mark, finds its copy stale, and
    reads the stored response without the mark a second time."""
    from core import page_cache

    warm(client, "community")
    Community.objects.get(code=OTHER).save()  # another page changes, and so does the mark
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    assert served_from_cache(client, PAGES["community"])
    assert counting.calls == ["get", "get_many"]
    assert page_cache.CHANGES_KEY not in counting.keys


def test_large_responses_are_read_from_the_cache_not_copied(client, monkeypatch):
    """Copies are bounded in bytes too: a long page (a regulation) is read from the cache."""
    from core import page_cache

    warm(client, "community")  # copied
    monkeypatch.setattr(page_cache, "COPY_MAX_BYTES", 1000)  # every page of the demo is larger
    Community.objects.get(code=COMMUNITY).save()
    warm(client, "community")  # the page changed, and its copy is dropped
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    assert served_from_cache(client, PAGES["community"])
    assert counting.calls == ["get_many"]


def test_a_copy_is_served_no_longer_than_the_cache_keeps_the_response(
    client, settings, clock, monkeypatch
):
    """Past the stored response's time in the cache the copy is not used: the cache is asked
    (whose own expiry, Redis's, follows the real clock, not the tests')."""
    from core import page_cache

    settings.PAGE_CACHE_TIMEOUT = 60
    warm(client, "community")
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    clock.shift(timedelta(seconds=59))
    assert served_from_cache(client, PAGES["community"])
    assert counting.calls == ["get"]  # from the copy
    clock.shift(timedelta(seconds=2))
    counting.calls.clear()
    assert client.get(PAGES["community"]).status_code == 200
    assert "get_many" in counting.calls


def test_searched_words_are_stored_when_asked_again(client, monkeypatch):
    """Most words are searched once: their page is not written to the shared cache until a
    process is asked for it again."""
    from core import page_cache

    url = f"/search/?q=华阳{uuid.uuid4().hex[:8]}"  # words this process was never asked
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    assert not served_from_cache(client, url)
    assert "set_many" not in counting.calls
    assert not served_from_cache(client, url)
    assert "set_many" in counting.calls
    assert served_from_cache(client, url)


def test_a_page_rendered_after_a_miss_trusts_the_mark_the_lookup_read(client, monkeypatch):
    """The lookup reads the change mark with the stored response; the memos and fragments of
    the render that follows a miss use that reading instead of asking again."""
    from core import page_cache

    warm(client, "community")
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    response = client.get(PAGES["community"] + "?from=sms")  # the same page, not stored yet
    assert response.status_code == 200 and response.get("X-Page-Cache") != "hit"
    assert counting.calls[0] == "get_many" and "get" not in counting.calls


def test_a_hit_reads_the_response_and_the_change_mark_not_each_token(client, monkeypatch):
    """Once a process found a stored response's nine tokens current, it reads them again only
    after a change mark: two keys a hit, not ten (ten files on the embedded profile)."""
    from core import page_cache

    warm(client, "community")
    page_cache._copies.clear()  # as a process that keeps no copy of the response
    read = []
    get_many = page_cache.cache.get_many
    monkeypatch.setattr(
        page_cache.cache, "get_many", lambda keys: read.append(keys) or get_many(keys)
    )
    assert served_from_cache(client, PAGES["community"])
    assert len(read) == 1 and read[0][0] == page_cache.CHANGES_KEY
    assert [key.split(":")[1] for key in read[0]] == ["changes", "page"]
    Station.objects.get(name="第一供热所").save()  # a change: the tokens are read again
    read.clear()
    fresh(client, "community")
    assert served_from_cache(client, PAGES["community"])
    assert any(key.startswith("page-cache:tag:") for keys in read for key in keys)


def test_a_lost_token_or_change_mark_never_serves_a_stale_page(client):
    """A token evicted from the cache, then a directory import renewing only the tokens it
    finds: the response verified under the old token is not served from memory. A change mark
    evicted: the tokens are read until a new one is set."""
    from core import page_cache

    warm(client, "community")
    station_tag = page_cache._tag_key("station:1")
    page_cache.cache.delete(station_tag)
    page_cache.invalidate_existing(["station:1"])
    fresh(client, "community")
    assert served_from_cache(client, PAGES["community"])
    page_cache.cache.delete(page_cache.CHANGES_KEY)
    assert served_from_cache(client, PAGES["community"])
    assert page_cache.cache.get(page_cache.CHANGES_KEY) is not None  # set again
    assert served_from_cache(client, PAGES["community"])
    Community.objects.get(code=COMMUNITY).save()
    fresh(client, "community")


def test_a_process_that_remembers_other_tags_still_checks_the_stored_ones(client):
    """What a process remembers of an address only saves round trips: a copy stored with
    other tags (another process rendered it after a change) is checked against its own."""
    from core import page_cache

    warm(client, "community")
    for key in page_cache._recall.keys():
        if isinstance(key, tuple):
            page_cache._recall.put(key, None)  # nothing verified under the change mark
        elif key.startswith("page-cache:page:"):
            page_cache._recall.put(key, ("directory",))  # a memory of other tags
    assert served_from_cache(client, PAGES["community"])
    Community.objects.filter(code=COMMUNITY).first().save()  # drops the community's tags
    fresh(client, "community")
    assert served_from_cache(client, PAGES["community"])


def test_publishing_a_notice_drops_exactly_what_shows_it(client):
    warm(client, *PAGES)
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(title="新发布的星宇停水通知", communities=[community], ends_at=None)
    for name in ("notices", "major", "all", "api", "community", "community-feed"):
        assert notice.title in fresh(client, name), name
    assert f"/cap/notices/{notice.pk}.xml" in fresh(client, "cap")
    events = Calendar.from_ical(fresh(client, "community-ical")).walk("VEVENT")
    assert any(str(event["URL"]).endswith(notice.url) for event in events)
    assert notice.title in strip_tags(fresh(client, "search"))  # the match is <mark>ed
    # Untouched: another community, the directory, FAQ, commitments, and the home page (it lists
    # sections, not notices).
    for name in ("other-community", "directory", "faq", "commitments", "home"):
        assert served_from_cache(client, PAGES[name]), name


def test_a_notice_update_reaches_its_page_lists_and_feeds(client):
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(communities=[community])
    notice_url = notice.url
    client.get(notice_url)
    warm(client, "notices", "community", "all", "other-community")
    assert served_from_cache(client, notice_url)
    record_update(
        notice.pk,
        UpdateKind.EXTENDED,
        text="抢修延长",
        new_ends_at=notice.ends_at + timedelta(hours=6),
    )
    assert "抢修延长" in client.get(notice_url).content.decode()
    for name in ("notices", "community", "all"):
        fresh(client, name)
    assert served_from_cache(client, PAGES["other-community"])


def test_unpublishing_removes_a_notice_everywhere_at_once(client):
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(title="将撤回的通知", communities=[community])
    warm(client, "notices", "community", "all", "major")
    notice.unpublish()
    for name in ("notices", "community", "all"):
        assert "将撤回的通知" not in fresh(client, name), name


def test_a_notice_moved_to_another_community_leaves_the_first(client):
    first = Community.objects.get(code=COMMUNITY)
    second = Community.objects.get(code=OTHER)
    notice = make_notice(title="换小区的通知", communities=[first])
    warm(client, "community", "other-community")
    draft = notice.get_latest_revision_as_object()
    draft.communities.set([second])
    draft.save_revision().publish()
    assert "换小区的通知" not in fresh(client, "community")
    assert "换小区的通知" in fresh(client, "other-community")


def test_scheduled_go_live_drops_the_lists_when_it_happens(client):
    notice = make_notice(title="定时发布的通知", publish=False)
    revision = notice.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    warm(client, "notices")
    revision.publish()
    assert "定时发布的通知" in fresh(client, "notices")


def test_a_community_rename_reaches_its_page_the_directory_and_its_notices(client):
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(communities=[community])
    client.get(notice.url)
    warm(client, "community", "directory", "other-community")
    community.name = "星宇新城"
    community.save()
    assert "星宇新城" in fresh(client, "community")
    assert "星宇新城" in fresh(client, "directory")
    assert "星宇新城" in client.get(notice.url).content.decode()
    assert served_from_cache(client, PAGES["other-community"])


def test_a_station_phone_change_reaches_the_communities_it_serves(client):
    station = Community.objects.get(code=COMMUNITY).station
    warm(client, "community", "other-community")
    station.phone = "0431-8000 0000"
    station.save()
    assert "0431-8000 0000" in fresh(client, "community")
    if Community.objects.get(code=OTHER).station_id != station.pk:
        assert served_from_cache(client, PAGES["other-community"])


def test_editing_a_question_drops_the_faq_but_not_the_notices(client):
    warm(client, "faq", "notices")
    question = QuestionPage.objects.get(slug="customer-number")
    draft = question.get_latest_revision_as_object()
    draft.title = "不知道用户编号怎么办？"
    draft.save_revision().publish()
    assert "不知道用户编号怎么办？" in fresh(client, "faq")
    assert served_from_cache(client, PAGES["notices"])


def test_site_settings_reach_every_page(client):
    warm(client, "home", "notices", "faq")
    settings = SiteSettings.objects.get()
    settings.company_name = "春城热力（新名称）"
    settings.save()
    for name in ("home", "notices", "faq"):
        assert "春城热力（新名称）" in fresh(client, name)


def test_each_reader_of_a_cached_form_gets_their_own_working_csrf_token():
    first = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    second = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    url = PAGES["community"]
    first.get(url)
    page = second.get(url)
    assert page["X-Page-Cache"] == "hit"
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64]
    assert "csrftoken" in page.cookies  # the reader's own cookie, issued with the cached page
    response = second.post("/my-community/", {"code": COMMUNITY, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# What a hit must answer as the miss did, though the middleware that set them is skipped.
SAME_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Length",
    "Vary",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.mark.parametrize("name", ["home", "community", "major", "search"])
def test_a_hit_answers_with_the_headers_of_the_page_it_stored(name):
    """The hit is answered before the session, locale, common and CSRF middleware: what they
    added to the stored response comes back with it, and a page with a form still sets the
    reader's CSRF cookie (and varies on cookies)."""
    # Search words are stored when a process is asked for them again (maybe in an earlier test).
    responses = [Client(HTTP_HOST="localhost").get(PAGES[name]) for _ in range(3)]
    stored = [r for r in responses if r.get("X-Page-Cache") != "hit"][-1]
    hit = responses[-1]
    assert hit["X-Page-Cache"] == "hit"
    for header in SAME_HEADERS:
        assert hit.get(header) == stored.get(header), header
    assert hit["Content-Length"] == str(len(hit.content))
    assert hit["Content-Language"] == "zh-hans"
    assert "Accept-Language" in hit["Vary"]
    assert ("csrftoken" in hit.cookies) == ("csrftoken" in stored.cookies) == (name == "community")


def test_a_reader_with_a_csrf_cookie_keeps_it_on_a_cached_form():
    """A returning reader's own CSRF secret is used for the form of a page served from the
    cache (a new one would break a form opened in another tab)."""
    reader = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    reader.get(PAGES["community"])
    secret = reader.cookies["csrftoken"].value
    page = reader.get(PAGES["community"])
    assert page["X-Page-Cache"] == "hit"
    assert page.cookies["csrftoken"].value == secret
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64]
    response = reader.post("/my-community/", {"code": COMMUNITY, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_preference_cookies_make_their_own_variants(client):
    warm(client, "home")
    large = Client(HTTP_HOST="localhost")
    large.cookies["display"] = "large"
    assert 'class="large-text"' in large.get("/").content.decode()
    mine = Client(HTTP_HOST="localhost")
    mine.cookies["my_community"] = COMMUNITY
    assert "我的小区：星宇小区" in mine.get("/").content.decode()
    assert "我的小区：" not in client.get("/").content.decode()


def test_signed_in_staff_bypass_the_cache(client, editor):
    warm(client, "notices")
    client.force_login(editor)
    response = client.get("/notices/")
    assert response.get("X-Page-Cache") != "hit"
    assert client.get("/notices/").get("X-Page-Cache") != "hit"


def test_errors_and_form_results_are_not_cached(client):
    client.get("/directory/NO-SUCH/")
    assert client.get("/directory/NO-SUCH/").status_code == 404
    data = {"season": "2026-2027", "area": "10", "use": "residential"}
    client.post("/fees/heating/", data)
    assert client.post("/fees/heating/", data).get("X-Page-Cache") != "hit"


def test_a_cached_feed_still_answers_conditional_requests(client):
    first = client.get(PAGES["major"])
    again = client.get(PAGES["major"], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_the_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    client.get("/notices/")
    assert client.get("/notices/").get("X-Page-Cache") != "hit"


def test_renaming_a_station_is_seen_by_the_directory(client):
    warm(client, "directory")
    station = Station.objects.first()
    station.name = "改名后的供热站"
    station.save()
    assert "改名后的供热站" in fresh(client, "directory")


class PurgeRecorder(BaseHTTPRequestHandler):
    """A frontend cache's purge endpoint (Varnish speaks this: PURGE /path, Host: site)."""

    purged: list[str] = []

    def do_PURGE(self):
        PurgeRecorder.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def frontend_cache(settings):
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield PurgeRecorder.purged
    server.shutdown()


def test_a_frontend_cache_is_purged_of_exactly_what_showed_the_notice(
    client, frontend_cache, django_capture_on_commit_callbacks
):
    shared = client.get(PAGES["major"])
    assert shared["Cache-Control"] == "public, max-age=60"  # the feed's own, kept
    client.get(PAGES["community-feed"])
    client.get("/feeds/column/regulations.rss")
    page = client.get(PAGES["notices"])
    assert "s-maxage" not in page.get("Cache-Control", "")  # it varies on the reader's cookies
    community = Community.objects.get(code=COMMUNITY)
    with django_capture_on_commit_callbacks(execute=True):
        make_notice(communities=[community], ends_at=None)
    assert "/feeds/major.rss" in frontend_cache
    assert f"/feeds/community/{COMMUNITY}.rss" in frontend_cache
    assert "/feeds/column/regulations.rss" not in frontend_cache
    assert "/notices/" not in frontend_cache
