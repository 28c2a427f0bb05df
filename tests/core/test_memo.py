"""core.memo and core.sites: what every request needs, from the process's memory, rebuilt by
every process as soon as a tag it depends on changes."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from core import memo, page_cache, sites

factory = RequestFactory()


def test_a_memo_answers_from_memory_until_its_tag_changes(db):
    built = []
    remembered = memo.Memo("memo-test-tag")

    def value(request):
        return remembered.get(request, "key", lambda: built.append(1) or len(built))

    assert value(factory.get("/")) == 1
    assert value(factory.get("/")) == 1
    page_cache.invalidate("memo-test-tag")
    assert value(factory.get("/")) == 2
    page_cache.invalidate("some-other-tag")
    assert value(factory.get("/")) == 2


def test_tokens_are_read_once_per_request(db, monkeypatch):
    first, second = memo.Memo("memo-a"), memo.Memo("memo-b")
    request = factory.get("/")
    first.get(request, 1, lambda: "a")
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or get_many(keys))
    assert first.get(request, 1, lambda: "x") == "a"
    assert second.get(request, 1, lambda: "b") == "b"  # its tag was read with the first's
    assert reads == []


def test_nothing_is_trusted_while_the_cache_keeps_no_token(db, monkeypatch):
    remembered = memo.Memo("memo-unkept")
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "get_many", lambda keys: {})
    built = []
    for _ in range(3):
        remembered.get(factory.get("/"), "key", lambda: built.append(1))
    assert len(built) == 3


def _site(host: str):
    request = factory.get("/", HTTP_HOST=host)
    return request, sites.find_for_request(request)


def test_the_site_of_a_host_is_wagtails_answer_without_a_query(db):
    _site("localhost")
    request, site = _site("localhost")
    with CaptureQueriesContext(connection) as queries:
        request, site = _site("localhost")
    assert len(queries) == 0
    expected = get_site_for_hostname("localhost", request.get_port())
    assert (site.pk, site.root_page_id, site.root_page.url_path) == (
        expected.pk,
        expected.root_page_id,
        expected.root_page.url_path,
    )
    assert _site("unknown.example")[1].pk == Site.objects.get(is_default_site=True).pk


def test_each_request_gets_its_own_site_instances(db):
    _, first = _site("localhost")
    first.root_page.title = "changed by one request"
    first.site_name = "changed"
    _, second = _site("localhost")
    assert second.root_page.title != "changed by one request" and second.site_name != "changed"
    assert second.root_page is not first.root_page


def test_a_changed_site_or_root_page_is_seen_at_once(db):
    default = Site.objects.get(is_default_site=True)
    _site("localhost")
    other_root = Page.objects.get(depth=1).add_child(instance=Page(title="另一站点", slug="other"))
    Site.objects.create(hostname="other.example", port=default.port, root_page=other_root)
    assert _site("other.example")[1].root_page_id == other_root.pk
    other_root.title = "另一站点（新名）"
    other_root.save()
    assert _site("other.example")[1].root_page.title == "另一站点（新名）"
    Site.objects.filter(hostname="other.example").delete()  # a queryset delete sends signals too
    assert _site("other.example")[1].pk == default.pk


def test_translations_are_looked_up_once_per_process():
    from django.utils import translation
    from django.utils.translation import trans_real

    with translation.override("zh-hans"):
        active = trans_real.translation("zh-hans")
        assert translation.gettext("Save") == "保存"  # Django's and Wagtail's catalogues serve
        assert translation.gettext("返回停供通知") == "返回停供通知"
        walked = []
        fallback = active._fallback
        original = fallback.gettext
        fallback.gettext = lambda message: walked.append(message) or original(message)
        try:
            translation.gettext("返回停供通知")
            translation.gettext("一条从未查过的消息")
        finally:
            fallback.gettext = original
        assert walked == ["一条从未查过的消息"]


def test_a_value_kept_until_a_moment_is_rebuilt_after_it(db, clock):
    clock("2026-12-04T10:00")
    built = []
    remembered = memo.Memo("memo-until")
    until = timezone.now() + timedelta(minutes=30)

    def value():
        return remembered.get(
            factory.get("/"), "key", lambda: built.append(1) or memo.Kept(len(built), until)
        )

    assert value() == 1
    clock.shift(timedelta(minutes=29))
    assert value() == 1
    clock.shift(timedelta(minutes=2))
    assert value() == 2


def test_a_key_s_own_tags_drop_that_key_only(db):
    built = []
    remembered = memo.Memo("memo-shared")

    def value(key):
        return remembered.get(
            factory.get("/"), key, lambda: built.append(key) or key, tags=[f"memo-own:{key}"]
        )

    value("a"), value("b")
    page_cache.invalidate("memo-own:a")
    value("a"), value("b")
    assert built == ["a", "b", "a"]
    page_cache.invalidate("memo-shared")
    value("b")
    assert built == ["a", "b", "a", "b"]


class CountingCache:
    """The calls made to the shared cache through core.page_cache, each a round trip with
    Redis (the local-memory cache of the tests reads many keys one by one)."""

    def __init__(self, cache):
        self.cache, self.calls = cache, []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def counted(*args, **kwargs):
            self.calls.append((name, args[0] if args else None))
            return method(*args, **kwargs)

        return counted


@pytest.fixture
def counting(monkeypatch):
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    return counting


def test_while_the_change_mark_stays_a_request_reads_only_the_mark(db, counting):
    """Tokens read under a change mark stay current while the mark does: however many memos
    and tags a request consults, it reads one key once they are known."""
    remembered = memo.Memo("memo-mark")
    own = ["memo-mark:own"]
    assert remembered.get(factory.get("/"), "key", lambda: "built", tags=own) == "built"
    # Its tags had no token yet: given one, with a new mark, under which they are read again.
    assert remembered.get(factory.get("/"), "key", lambda: "again", tags=own) == "built"
    counting.calls.clear()
    assert remembered.get(factory.get("/"), "key", lambda: "again", tags=own) == "built"
    assert counting.calls == [("get", page_cache.CHANGES_KEY)]
    page_cache.invalidate("memo-mark:own")  # by any process: a new token, then a new mark
    assert remembered.get(factory.get("/"), "key", lambda: "again", tags=own) == "again"


def test_a_lost_change_mark_makes_every_request_read_its_tokens(db):
    """Without the mark (evicted, Redis emptied) nothing learnt under the old one is trusted:
    a token replaced meanwhile is seen, and a new mark is set for the next requests."""
    built = []
    remembered = memo.Memo("memo-lost-mark")

    def value():
        return remembered.get(factory.get("/"), "key", lambda: built.append(1) or len(built))

    assert value() == 1
    cache.delete(page_cache.CHANGES_KEY)
    cache.set(page_cache._tag_key("memo-lost-mark"), "replaced while the mark was lost", None)
    assert value() == 2
    assert cache.get(page_cache.CHANGES_KEY) is not None
    assert value() == 2
    page_cache.invalidate("memo-lost-mark")
    assert value() == 3


def test_a_rendered_page_reads_one_key_of_the_cache(db, client, settings, counting):
    """The community page, rendered on every request (page cache off), consults memos and
    fragments under a dozen tags: once their tokens are known, each view reads the change
    mark and nothing else from the shared cache (one round trip with Redis)."""
    settings.PAGE_CACHE_TIMEOUT = 0
    page = "/directory/LY-0001/"
    for _ in range(2):
        assert client.get(page).status_code == 200
    counting.calls.clear()
    assert client.get(page).status_code == 200
    assert counting.calls == [("get", page_cache.CHANGES_KEY)]
