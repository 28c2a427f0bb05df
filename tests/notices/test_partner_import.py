"""Importing partner feeds into notices, with the feeds served over HTTP from 127.0.0.1: drafts
for untrusted sources, published notices for trusted ones, nothing imported twice, escaped text
only, and every broken or hostile feed recorded on its source instead of raised."""

import socket
import sys
import threading
import time
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision
from wagtail.signals import page_published

from importers.partner_feed import MAX_FEED_BYTES
from notices.models import NoticeIndexPage, OutageNoticePage
from notices.partners import importer as partner_import
from notices.partners.importer import import_partner_feeds, import_source
from notices.partners.models import FeedStatus, PartnerEntry, PartnerFeedSource
from tests.feed_validation import validate_response
from tests.support import DATA

PARTNER = DATA / "partner"
CST = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2017, 10, 11, 12, tzinfo=CST)  # the day the seed's notices were published

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


class FeedServer(ThreadingHTTPServer):
    """Serves `routes` (path → status, content type, body) and remembers every path asked for."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request, client_address):
        """The importer hangs up early on purpose (timeouts, size limits)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self):
        self.server.hits.append(self.path)
        if self.path == "/huge":
            return self._stream(MAX_FEED_BYTES * 2, declare_length=False)
        if self.path == "/huge-declared":
            return self._stream(MAX_FEED_BYTES * 2, declare_length=True)
        if self.path == "/slow":
            time.sleep(3)
        status, content_type, body = self.server.routes.get(self.path, (404, "text/plain", b""))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, size: int, *, declare_length: bool):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if declare_length:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<!-- " + b"x" * 65_000 + b" -->\n"
        for _ in range(size // len(chunk) + 1):
            self.wfile.write(chunk)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = FeedServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def serve(server, path: str, body: bytes, content_type="application/rss+xml", status=200) -> str:
    server.routes[path] = (status, content_type, body)
    return server.url(path)


def make_source(url: str, **fields) -> PartnerFeedSource:
    defaults = {"name": "长春水务集团", "default_utility": "water", "default_district": "绿园区"}
    return PartnerFeedSource.objects.create(url=url, **{**defaults, **fields})


def notices_of(result) -> list[OutageNoticePage]:
    return list(OutageNoticePage.objects.filter(pk__in=result.imported).order_by("starts_at", "pk"))


def public_url(notice) -> str:
    return f"{NoticeIndexPage.objects.get().url}{notice.slug}/"


def in_public_feed(client, notice) -> bool:
    response = client.get("/feeds/notices.rss")
    validate_response(response)  # what the partners wrote, now in the site's own feed
    entries = feedparser.parse(response.content).entries
    return f"tag:localhost,2026:notice-{notice.pk}" in {entry.id for entry in entries}


# Good feeds


def test_untrusted_rss_source_creates_drafts_and_reports_the_entry_without_times(server):
    url = serve(server, "/water.rss", (PARTNER / "water-rss.xml").read_bytes())
    source = make_source(url)

    result = import_source(source, as_of=AS_OF)

    assert len(result.imported) == 4
    assert result.problems == ["“南关区供水管线抢修停水通知”：无法识别停供时间"]
    first = notices_of(result)[0]
    assert (first.title, first.utility, first.kind) == (
        "绿园区星宇东泵站停水通知",
        "water",
        "planned",
    )
    assert (first.cause, first.area_name, first.district) == (
        "泵站计划性清洗水箱",
        "长春市绿园区星宇东泵站",
        "绿园区",
    )
    assert first.boundary_text == "南至皓月大路,北至西安大路,西至翔运街,东至铁路"
    assert first.boundaries == [
        ("南至", "皓月大路"),
        ("北至", "西安大路"),
        ("西至", "翔运街"),
        ("东至", "铁路"),
    ]
    assert (first.starts_at, first.ends_at) == (
        datetime(2017, 10, 13, 8, tzinfo=CST),
        datetime(2017, 10, 14, 7, tzinfo=CST),
    )
    assert first.details == (
        "<p>因泵站计划性清洗水箱影响：10月13日8:00—14日7:00 长春市绿园区星宇东泵站"
        "(南至皓月大路,北至西安大路,西至翔运街,东至铁路)停水。</p>"
        "<p>望广大用户周知并做好储水准备。</p>"
        f'<p>来源：<a href="{server.url("/notice/2017/1013-01.html")}">长春水务集团</a></p>'
    )
    # Drafts for 审核: a revision waiting in the admin, never live.
    assert not first.live and first.has_unpublished_changes
    assert first.latest_revision is not None and first.live_revision is None

    source.refresh_from_db()
    assert source.last_status == FeedStatus.ERROR
    assert source.last_error == "“南关区供水管线抢修停水通知”：无法识别停供时间"
    assert source.last_imported_count == 4 and source.last_checked_at is not None
    skipped = PartnerEntry.objects.get(source=source, guid="water-2017-1011-05")
    assert (skipped.notice, skipped.imported_at, skipped.problem) == (
        None,
        None,
        "无法识别停供时间",
    )


def test_drafts_are_not_public(server, client):
    url = serve(server, "/water.rss", (PARTNER / "water-rss.xml").read_bytes())
    result = import_source(make_source(url), as_of=AS_OF)
    draft = notices_of(result)[0]
    assert client.get(public_url(draft)).status_code == 404
    assert not in_public_feed(client, draft)


def test_running_twice_imports_nothing_new_and_a_deleted_draft_stays_deleted(server):
    url = serve(server, "/water.rss", (PARTNER / "water-rss.xml").read_bytes())
    source = make_source(url)
    first = import_source(source, as_of=AS_OF)
    notices_before = OutageNoticePage.objects.count()

    again = import_source(source, as_of=AS_OF)
    assert (again.imported, again.already_imported) == ([], 4)
    assert len(again.problems) == 1  # the entry without times is still reported
    assert OutageNoticePage.objects.count() == notices_before
    assert source.last_imported_count == 0

    # Rejecting a draft by deleting it does not bring it back on the next run.
    OutageNoticePage.objects.get(pk=first.imported[0]).delete()
    third = import_source(source, as_of=AS_OF)
    assert (third.imported, third.already_imported) == ([], 4)
    assert PartnerEntry.objects.filter(source=source, imported_at__isnull=False).count() == 4


def test_trusted_atom_source_publishes_at_once(server, client):
    url = serve(
        server, "/gas.atom", (PARTNER / "gas-atom.xml").read_bytes(), "application/atom+xml"
    )
    source = make_source(url, name="长春燃气", default_utility="water", trusted=True)

    result = import_source(source, as_of=AS_OF)

    [notice] = notices_of(result)
    assert notice.live and notice.live_revision is not None
    assert notice.utility == "gas"  # from 停气 in the text, not the source's default
    assert notice.cause == "合作单位通知"
    assert (notice.starts_at, notice.ends_at, notice.end_is_estimate) == (
        datetime(2017, 10, 14, tzinfo=CST),
        datetime(2017, 10, 22, tzinfo=CST),
        True,
    )
    assert notice.went_live_at is not None  # the notices app saw it published
    assert client.get(public_url(notice)).status_code == 200
    assert in_public_feed(client, notice)
    assert (source.last_status, source.last_error, source.last_imported_count) == (
        FeedStatus.OK,
        "",
        1,
    )
    entry = PartnerEntry.objects.get(source=source)
    assert (entry.guid, entry.notice_id) == ("tag:gas.example.cn,2017:notice-1007", notice.pk)


def test_gbk_feed_is_imported_with_its_chinese_intact(server):
    # Served as text/xml without a charset: the XML declaration decides.
    url = serve(server, "/gas-gbk.rss", (PARTNER / "gas-gbk.xml").read_bytes(), "text/xml")
    result = import_source(make_source(url, name="长春燃气", default_district=""), as_of=AS_OF)
    [notice] = notices_of(result)
    assert notice.title == "宽城区铁北二路燃气管线碰口停气通知"
    assert (notice.utility, notice.cause, notice.area_name) == (
        "gas",
        "燃气管线碰口施工",
        "宽城区铁北二路",
    )
    assert "联系人：李喆。</p>" in notice.details
    assert notice.boundary_east == "东二条街"


def test_outages_already_over_are_not_imported(server):
    url = serve(
        server, "/gas.atom", (PARTNER / "gas-atom.xml").read_bytes(), "application/atom+xml"
    )
    source = make_source(url, trusted=True)
    result = import_source(source, as_of=datetime(2017, 10, 23, tzinfo=CST))
    assert (result.imported, result.outdated) == ([], 1)
    assert (source.last_status, source.last_error) == (FeedStatus.OK, "1条停供已结束，未导入。")


# Hostile and broken feeds


def test_markup_from_the_feed_never_reaches_the_page(server, client):
    url = serve(server, "/xss.rss", (PARTNER / "xss-rss.xml").read_bytes())
    result = import_source(make_source(url, trusted=True), as_of=AS_OF)
    [notice] = notices_of(result)

    # Plain-text fields keep text as text (escaped when rendered); rich text is escaped here.
    assert notice.title == '朝阳区停水通知<script>alert("title")</script>'
    assert (
        "<script" not in notice.details
        and "<img" not in notice.details
        and "onerror" not in notice.details
    )
    assert "javascript:" not in notice.details and "onclick" not in notice.details
    assert "<a " not in notice.details  # the entry's only link was javascript:
    assert "<p>&lt;script&gt;alert(&quot;escaped&quot;)&lt;/script&gt;</p>" in notice.details

    html = client.get(public_url(notice)).content.decode()
    assert "<script>alert" not in html
    assert "onerror=" not in html and "javascript:alert" not in html and "<svg" not in html
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html  # the title, as text
    assert "&lt;script&gt;alert(&quot;escaped&quot;)&lt;/script&gt;" in html


def assert_feed_failed(source, message: str):
    source.refresh_from_db()
    assert source.last_status == FeedStatus.ERROR
    assert message in source.last_error, source.last_error
    assert source.last_checked_at is not None and source.last_imported_count == 0
    assert not PartnerEntry.objects.filter(source=source).exists()


def test_malformed_feed_imports_nothing_and_says_where(server):
    url = serve(server, "/malformed.rss", (PARTNER / "malformed-rss.xml").read_bytes())
    source = make_source(url)
    count = OutageNoticePage.objects.count()
    result = import_source(source, as_of=AS_OF)
    assert result.error.startswith("订阅源格式错误（第9行）")
    assert_feed_failed(source, "格式错误")
    assert OutageNoticePage.objects.count() == count


def test_server_error(server):
    source = make_source(serve(server, "/broken.rss", b"Internal Server Error", "text/plain", 500))
    import_source(source, as_of=AS_OF)
    assert_feed_failed(source, "服务器返回HTTP 500。")


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = make_source(f"http://127.0.0.1:{port}/feed.rss")
    import_source(source, as_of=AS_OF)
    assert_feed_failed(source, "无法连接到订阅源服务器。")


def test_timeout(server, monkeypatch):
    monkeypatch.setattr(partner_import, "FETCH_TIMEOUT", 1)
    source = make_source(serve(server, "/slow", b"", "application/rss+xml"))
    import_source(source, as_of=AS_OF)
    assert_feed_failed(source, "连接超时（1秒）。")


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_huge_response_is_not_read_to_the_end(server, path):
    source = make_source(server.url(path))
    import_source(source, as_of=AS_OF)
    assert_feed_failed(source, "订阅源超过2MB")


def test_xxe_payload_is_refused_before_parsing_and_fetches_nothing(server):
    body = (PARTNER / "xxe-rss.xml").read_text().replace("http://localhost:8080", server.url(""))
    source = make_source(serve(server, "/xxe.rss", body.encode()))
    server.hits.clear()
    import_source(source, as_of=AS_OF)
    assert_feed_failed(source, "声明了XML实体")
    assert server.hits == ["/xxe.rss"]


def test_an_external_dtd_is_never_fetched(server):
    body = (
        (PARTNER / "gas-gbk.xml")
        .read_bytes()
        .replace(b"<rss", f'<!DOCTYPE rss SYSTEM "{server.url("/evil.dtd")}">\n<rss'.encode(), 1)
    )
    source = make_source(serve(server, "/doctype.rss", body))
    server.hits.clear()
    result = import_source(source, as_of=AS_OF)
    assert len(result.imported) == 1
    assert server.hits == ["/doctype.rss"]


def test_a_failing_entry_leaves_no_half_notice_and_does_not_stop_the_others(server):
    url = serve(server, "/water.rss", (PARTNER / "water-rss.xml").read_bytes())
    source = make_source(url, trusted=True)
    notices, revisions = OutageNoticePage.objects.count(), Revision.objects.count()

    def fail_on_publish(sender, instance, **kwargs):
        if "辽阳街" in instance.title:
            raise RuntimeError("下游服务不可用")

    page_published.connect(fail_on_publish)
    try:
        result = import_source(source, as_of=AS_OF)
    finally:
        page_published.disconnect(fail_on_publish)

    # The page and its revision were written before publishing failed; both were rolled back.
    assert len(result.imported) == 3
    assert "绿园区辽阳街泵站停水通知" not in [notice.title for notice in notices_of(result)]
    assert OutageNoticePage.objects.count() == notices + 3
    assert Revision.objects.count() == revisions + 3
    assert "“绿园区辽阳街泵站停水通知”：导入出错：下游服务不可用" in result.problems
    assert "导入出错：下游服务不可用" in source.last_error
    failed = PartnerEntry.objects.get(source=source, guid="water-2017-1013-03")
    assert (failed.imported_at, failed.problem) == (None, "导入出错：下游服务不可用")

    # Retried on the next run, once the cause is gone.
    retried = import_source(source, as_of=AS_OF)
    assert [notice.title for notice in notices_of(retried)] == ["绿园区辽阳街泵站停水通知"]


# The job


def upcoming_feed() -> bytes:
    """One water outage three days from now, dated as a partner would write it."""
    now = timezone.localtime()
    start = now + timedelta(days=3)
    return rss_item(
        f"<title>朝阳区停水通知</title><guid>upcoming-1</guid>"
        f"<pubDate>{format_datetime(now)}</pubDate>"
        f"<description>因管网检修，{start.month}月{start.day}日8:00—18:00 朝阳区停水。</description>"
    )


def rss_item(item: str) -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>测试</title><item>{item}</item></channel></rss>'.encode()


def test_the_job_runs_every_enabled_source_and_never_raises(server):
    good = make_source(serve(server, "/upcoming.rss", upcoming_feed()))
    broken = make_source(serve(server, "/broken.rss", b"", "text/plain", 500), name="坏的订阅源")
    disabled = make_source(server.url("/upcoming.rss"), name="已停用", enabled=False)

    summary = import_partner_feeds()

    assert summary["sources"] == PartnerFeedSource.objects.filter(enabled=True).count() == 2
    assert summary["imported"] == 1
    assert summary["errors"] == {"坏的订阅源": "服务器返回HTTP 500。"}
    for source in (good, broken, disabled):
        source.refresh_from_db()
    assert (good.last_status, broken.last_status, disabled.last_status) == ("ok", "error", "")
    assert disabled.last_checked_at is None
    assert import_partner_feeds()["imported"] == 0


def test_the_job_stops_starting_sources_when_its_time_is_spent(server, monkeypatch):
    monkeypatch.setattr(partner_import, "JOB_BUDGET", 0)
    first = make_source(serve(server, "/upcoming.rss", upcoming_feed()), name="一")
    second = make_source(server.url("/upcoming.rss"), name="二")

    assert import_partner_feeds() == {"sources": 1, "imported": 1, "errors": {}, "deferred": 1}
    # The source left over goes first next time.
    assert import_partner_feeds()["sources"] == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.last_checked_at > first.last_checked_at


# Admin


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.cn", "pw"))
    return client


def test_admin_lists_sources_with_their_last_error(server, admin_client):
    source = make_source(serve(server, "/broken.rss", b"", "text/plain", 500), name="坏的订阅源")
    import_source(source, as_of=AS_OF)
    response = admin_client.get(reverse("wagtailsnippets_notices_partnerfeedsource:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "坏的订阅源" in html and "服务器返回HTTP 500。" in html and "有错误" in html


def test_admin_entries_are_read_only(server, admin_client):
    url = serve(server, "/water.rss", (PARTNER / "water-rss.xml").read_bytes())
    import_source(make_source(url), as_of=AS_OF)
    entry = PartnerEntry.objects.get(guid="water-2017-1011-05")
    listing = admin_client.get(reverse("wagtailsnippets_notices_partnerentry:list"))
    assert listing.status_code == 200
    assert "无法识别停供时间" in listing.content.decode()
    add = reverse("wagtailsnippets_notices_partnerentry:add")
    edit = reverse("wagtailsnippets_notices_partnerentry:edit", args=(entry.pk,))
    assert add not in listing.content.decode()
    assert admin_client.get(add).status_code != 200
    assert admin_client.get(edit).status_code != 200
    inspect = reverse("wagtailsnippets_notices_partnerentry:inspect", args=(entry.pk,))
    assert admin_client.get(inspect).status_code == 200


# Checking now, from the admin: a job (notices.partners.import_job)


def test_admin_checks_the_feeds_now_through_a_job(
    server, admin_client, clock, django_capture_on_commit_callbacks
):
    clock(AS_OF.isoformat())
    make_source(serve(server, "/water.rss", (PARTNER / "water-rss.xml").read_bytes()))
    listing = admin_client.get(reverse("wagtailsnippets_notices_partnerfeedsource:list"))
    refresh = reverse("partner_feeds_refresh")
    assert refresh in listing.content.decode()
    assert "长春水务集团" in admin_client.get(refresh).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(refresh)
    html = admin_client.get(response["Location"]).content.decode()
    assert "检查了1个订阅源，导入4条停供通知。" in html
    assert "“南关区供水管线抢修停水通知”：无法识别停供时间" in html
    assert PartnerEntry.objects.filter(imported_at__isnull=False).count() == 4


def test_a_feed_that_cannot_be_read_fails_the_job_in_chinese(
    server, admin_client, django_capture_on_commit_callbacks
):
    make_source(serve(server, "/broken.rss", b"", "text/plain", 500), name="坏的订阅源")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("partner_feeds_refresh"))
    html = admin_client.get(response["Location"]).content.decode()
    assert "订阅源都无法读取，没有导入任何通知：" in html
    assert "坏的订阅源：服务器返回HTTP 500。" in html and 'role="alert"' in html


def test_checking_now_needs_the_right_to_change_sources(client, editor):
    from jobs.models import ImportJob

    client.force_login(editor)
    for response in (
        client.get(reverse("partner_feeds_refresh")),
        client.post(reverse("partner_feeds_refresh")),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"  # refused
    assert not ImportJob.objects.exists()
