"""The site search (/search/): Chinese queries cut into words with jieba against text indexed the
same way, on SQLite (FTS5) and PostgreSQL; results grouped by kind, matches marked and escaped."""

import re
import runpy
import socket
from types import SimpleNamespace

import jieba
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags
from wagtail.models import PageViewRestriction
from wagtail.search.models import IndexEntry

from chinese_text import segmentation
from contacts.models import Community, Station
from core import prefork
from faq.models import FAQIndexPage
from notices.models import OutageNoticePage
from search.highlight import highlight
from tests.factories.contacts import make_community, make_station
from tests.factories.notices import make_notice
from tests.factories.pages import make_question
from tests.support import ROOT, queries_for

pytestmark = pytest.mark.django_db

WATER_NOTICES = [
    "绿园区星宇东泵站停水通知",
    "绿园区安居三期泵站、万鑫小区泵站停水通知",
    "绿园区辽阳街泵站停水通知",
    "绿园区城西泵站停水通知",
]


def search(client, query, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def groups(body) -> dict[str, list[str]]:
    """{group heading without its count: [result titles as text]}, in page order."""
    found = {}
    for section in body.split('<section class="search-group"')[1:]:
        heading = strip_tags(re.search(r"<h2[^>]*>(.*?)</h2>", section).group(1))
        found[heading.split("（")[0]] = [
            strip_tags(title) for title in re.findall(r"<h3>(.*?)</h3>", section)
        ]
    return found


def test_a_community_name_finds_the_community_and_its_notices(client):
    found = groups(search(client, "星宇"))
    assert list(found) == ["停供通知", "小区"]
    assert "绿园区星宇东泵站停水通知" in found["停供通知"]
    assert "第一供热所换热站检修停热通知" in found["停供通知"]  # affects 星宇小区
    assert found["小区"] == ["星宇小区"]


def test_an_outage_word_finds_the_notices_of_that_kind(client):
    found = groups(search(client, "停水"))
    assert set(WATER_NOTICES) <= set(found["停供通知"])
    assert not any("停气" in title for title in found["停供通知"])


@pytest.mark.parametrize(
    ("query", "group", "title"),
    [
        ("发票", "常见问题", "在线交完费，想要发票怎么办？"),
        ("退费", "常见问题", "室温不达标可以退费吗？怎么算？"),
        ("退费", "服务承诺", "供热期服务承诺"),
        ("首问负责制", "规章制度", "曲阜聚源供热有限责任公司规章制度"),
    ],
)
def test_words_find_questions_commitments_and_regulations(client, query, group, title):
    assert title in groups(search(client, query))[group]


def test_a_commitment_result_quotes_the_matching_commitment(client):
    body = search(client, "退费")
    assert "<mark>退费</mark>办理：由用户、社区供热专干" in body


def test_a_regulation_result_links_to_the_matching_article(client):
    body = search(client, "首问负责制")
    assert 'href="/regulations/rulebook/#article-2"' in body
    assert "认真落实<mark>首问负责制</mark>" in body


@pytest.mark.parametrize("query", ["xyxq", "xingyu", "XYXQ"])
def test_pinyin_of_a_community_finds_it(client, query):
    assert "星宇小区" in groups(search(client, query))["小区"]


def test_pinyin_initials_of_a_short_name_find_every_community_called_so(client):
    """“xy” is 星宇 (星宇小区) but also 兴业, 欣园 …: all of them, page by page."""
    found = groups(search(client, "xy", type="communities"))["小区"]
    assert "星宇小区" in found and len(found) > 5


def test_a_name_without_its_phase_finds_every_phase(client):
    phases = set(
        Community.objects.filter(name__startswith="春华花园").values_list("name", flat=True)
    )
    assert len(phases) > 1
    assert set(groups(search(client, "春华花园"))["小区"]) == phases


@pytest.mark.parametrize("name", ["星宇东泵站", "皓月大路", "犁铧春秋安置房热力站", "安居三期"])
def test_place_names_are_one_word(name):
    assert segmentation.query_terms(name) == [name]


def test_a_station_name_is_found_and_marked_as_one_word(client):
    body = search(client, "星宇东泵站")
    assert groups(body) == {"停供通知": ["绿园区星宇东泵站停水通知"]}
    assert "绿园区<mark>星宇东泵站</mark>停水通知" in body


def test_a_community_saved_later_is_one_word_and_found_by_name_and_pinyin(client):
    make_community(name="金桂苑小区", address="南湖大路以南")
    assert segmentation.query_terms("金桂苑小区") == ["金桂苑小区"]
    assert segmentation.query_terms("金桂苑") == ["金桂苑"]
    for query in ("金桂苑", "jgyxq", "南湖大路"):
        assert groups(search(client, query))["小区"] == ["金桂苑小区"], query


def test_a_station_saved_later_is_one_word():
    make_station(name="朝晖东换热站", office_address="松柏西热力站")
    assert segmentation.query_terms("朝晖东换热站") == ["朝晖东换热站"]
    assert segmentation.query_terms("松柏西热力站") == ["松柏西热力站"]


def test_names_another_process_added_are_learnt_when_it_announces_them():
    # A row this process never saw saved, as if another process had saved it.
    Community.objects.bulk_create(
        [
            Community(
                code="T-OTHER",
                name="青松岭佳园",
                district="绿园区",
                station=Station.objects.first(),
            )
        ]
    )
    assert segmentation.query_terms("青松岭佳园") != ["青松岭佳园"]
    cache.set(segmentation.STAMP_KEY, "announced-by-another-process")
    assert segmentation.query_terms("青松岭佳园") == ["青松岭佳园"]


def test_results_are_grouped_with_counts_and_a_link_to_all_of_a_kind(client):
    for number in range(3):
        make_notice(title=f"测试供水管网检修通知{number}")  # water: 停水
    expected = OutageNoticePage.objects.live().filter(utility="water").count()
    body = search(client, "停水")
    assert list(groups(body))[:1] == ["停供通知"]
    assert f'<h2 id="results-notices">停供通知<span class="search-count">（{expected}条）' in body
    assert len(groups(body)["停供通知"]) == 5
    assert f"查看全部{expected}条停供通知" in body
    assert 'href="/search/?q=%E5%81%9C%E6%B0%B4&amp;type=notices"' in body

    everything = search(client, "停水", type="notices")
    assert list(groups(everything)) == ["停供通知"]
    assert len(groups(everything)["停供通知"]) == expected
    assert "查看全部类别的结果" in everything


def test_matching_words_are_marked_and_everything_else_escaped(client):
    make_question(
        FAQIndexPage.objects.get(),
        title="<b>发票</b>丢了怎么补开？",
        slug="lost-invoice",
        answer="<p>补开发票请带&lt;身份证&gt;原件。</p>",
    )
    body = search(client, "发票")
    assert "&lt;b&gt;<mark>发票</mark>&lt;/b&gt;丢了怎么补开？" in body
    assert "补开<mark>发票</mark>请带&lt;身份证&gt;原件。" in body


def test_a_query_with_markup_is_harmless(client):
    body = search(client, '"><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_highlight_escapes_the_text_around_the_marks():
    marked = highlight('a<b>&"星宇 XY', ["星宇", "xy"])
    assert marked == "a&lt;b&gt;&amp;&quot;<mark>星宇</mark> <mark>XY</mark>"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "请输入要查找的内容"),
        ("   ", "请输入要查找的内容"),
        ("停水" * 21, "查找内容太长了，请不超过40个字。"),
        ("？！……", "请用汉字、字母或数字查找。"),
        ("zzqqxx", "没有找到相符的内容"),
    ],
)
def test_empty_too_long_and_unmatched_queries_get_a_chinese_message(client, query, message):
    body = search(client, query)
    assert message in body
    assert groups(body) == {}


def test_the_search_page_and_the_header_form_are_labelled_get_forms(client):
    body = client.get("/search/").content.decode()
    assert '<label for="search-q">' in body and 'id="search-q" type="search" name="q"' in body
    home = client.get("/").content.decode()
    assert (
        '<form class="header-search" method="get" action="/search/" role="search"'
        ' aria-label="全站搜索">'
    ) in home
    assert '<label class="visually-hidden" for="header-q">' in home
    assert '<button type="submit">搜索</button>' in home


def test_drafts_and_private_pages_are_not_found(client):
    make_notice(title="测试草稿停水通知", publish=False)
    assert "测试草稿停水通知" not in search(client, "草稿")
    PageViewRestriction.objects.create(
        page=FAQIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )
    assert "常见问题" not in groups(search(client, "发票"))


def test_no_personal_data_in_results(client):
    community = Community.objects.get(code="LY-0101")  # a generated one, with a mobile number
    body = search(client, community.name)
    assert community.name in groups(body)["小区"]
    assert community.manager_phone not in body and community.manager_name not in body
    assert groups(search(client, community.manager_phone)) == {}


def test_jieba_dictionary_loads_once_per_process(client, monkeypatch):
    search(client, "星宇")  # loaded by now, here or earlier in this test run
    initialisations = []
    initialize = jieba.Tokenizer.initialize

    def counting(self, *args, **kwargs):
        initialisations.append(self)
        return initialize(self, *args, **kwargs)

    monkeypatch.setattr(jieba.Tokenizer, "initialize", counting)
    for query in ("停水", "发票", "xy", "星宇东泵站", "退费"):
        search(client, query)
    assert initialisations == []
    assert segmentation.loads == 1


@pytest.mark.parametrize(
    "url",
    [
        "/search/",
        "/search/?q=星宇",
        "/search/?q=的",
        "/search/?q=退费",
        "/search/?q=xy",
        "/search/?q=停水&type=notices",
        "/search/?q=xy&type=communities&page=2",
    ],
)
def test_search_pages_stay_within_the_query_budget(client, url):
    assert queries_for(client, url) <= 10


def test_search_queries_do_not_grow_with_results(client):
    """Once every group is full (5 shown, the rest counted), more matches cost nothing."""
    station = Station.objects.get(name="第三供热所")

    def add(count):
        for _ in range(count):
            make_notice()  # 测试停供通知N
            make_community(station=station)  # 测试小区N

    add(5)
    before = queries_for(client, "/search/?q=测试")
    add(10)
    after = queries_for(client, "/search/?q=测试")
    assert after == before <= 10


def test_rebuilding_the_index_restores_it(client):
    IndexEntry.objects.all().delete()
    assert groups(search(client, "星宇")) == {}
    call_command("update_index", verbosity=0)
    found = groups(search(client, "星宇"))
    assert "绿园区星宇东泵站停水通知" in found["停供通知"]
    assert "第一供热所换热站检修停热通知" in found["停供通知"]  # through its communities
    assert found["小区"] == ["星宇小区"]
    assert "供热期服务承诺" in groups(search(client, "退费"))["服务承诺"]  # through its rows


def test_gunicorn_loads_the_dictionary_in_the_master_before_forking(db, monkeypatch):
    """deploy/gunicorn.conf.py's when_ready (the master, after loading the application, before
    forking): the workers inherit the dictionary and the compiled templates (core.prefork)
    instead of loading them on their first search, and no database connection opened for it
    is shared with them. The warm-up requests (core.prefork) carry the port gunicorn listens
    on, as the workers' requests will. What the master holds is frozen last, with the
    warm-up's objects (core.prefork.freeze_heap)."""
    monkeypatch.setattr(segmentation, "_tokenizer", None)
    monkeypatch.setattr(segmentation, "loads", 0)
    events = []
    warm = segmentation.warm
    monkeypatch.setattr(segmentation, "warm", lambda: (warm(), events.append("loaded")))
    monkeypatch.setattr(prefork, "compile_templates", lambda: events.append("compiled"))
    monkeypatch.setattr(prefork, "warm_up", lambda app, port: events.append(("warmed", port)))
    monkeypatch.setattr(connections, "close_all", lambda: events.append("closed"))
    monkeypatch.setattr(prefork, "freeze_heap", lambda: events.append("frozen"))
    config = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    assert config["preload_app"] is True
    with socket.create_server(("127.0.0.1", 0)) as listener:
        config["when_ready"](SimpleNamespace(LISTENERS=[listener]))
        port = str(listener.getsockname()[1])
    assert events == ["loaded", "compiled", ("warmed", port), "closed", "frozen"]
    assert segmentation.loads == 1
    assert segmentation.query_terms("星宇东泵站") and segmentation.loads == 1


def test_the_same_words_are_searched_once_until_content_changes(client, settings):
    """Results are kept (core.fragments) under the `search` tag, even with the page cache
    off: asked again, the words cost no search query; a new notice shows at once."""
    settings.PAGE_CACHE_TIMEOUT = 0
    search(client, "星宇")
    with CaptureQueriesContext(connection) as again:
        body = search(client, "星宇")
    assert not [q for q in again.captured_queries if "indexentry" in q["sql"]]
    assert "星宇保留结果测试通知" not in strip_tags(body)
    make_notice(title="星宇保留结果测试通知", area_name="星宇东泵站")
    assert "星宇保留结果测试通知" in groups(search(client, "星宇"))["停供通知"]
