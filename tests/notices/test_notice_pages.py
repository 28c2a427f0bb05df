"""What residents see: the notice list, archive, a notice, and a community's notices."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from contacts.models import Community
from notices.lifecycle.transitions import record_update
from notices.models import OutageNoticePage
from tests.factories.notices import make_notice
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def body(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def titles(html):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_list_shows_current_and_upcoming_first_by_start(client):
    html = body(client, "/notices/")
    listed = titles(html)
    assert listed[0] == "第五供热所供热管道破裂抢修停热通知"  # in progress now
    assert "绿园区星宇东泵站停水通知" in listed
    assert "第四供热所御景湾热力站停热通知（已恢复）" not in listed  # restored: archive
    assert '<span class="badge badge-in_progress">进行中</span>' in html
    assert '<span class="badge badge-major">8小时以上</span>' in html


def test_filters_by_utility_district_community_and_major(client):
    assert set(titles(body(client, "/notices/?utility=gas"))) == {
        "黄河路与东八条交会处燃气管网改造停气通知"
    }
    assert all(
        "停水" in t or "停热" in t for t in titles(body(client, "/notices/?district=绿园区"))
    )
    by_pinyin = titles(body(client, "/notices/?community=xy"))
    assert set(by_pinyin) == {"绿园区星宇东泵站停水通知", "第一供热所换热站检修停热通知"}
    assert titles(body(client, "/notices/?community=LY-0001")) == by_pinyin
    assert "第五供热所供热管道破裂抢修停热通知" not in titles(body(client, "/notices/?major=1"))
    html = body(client, "/notices/?utility=<script>")
    assert "<script>" not in html


def test_an_unknown_filter_value_shows_the_whole_list(client):
    """Pages ignore a value they do not know (a stale or mistyped link), as the FAQ's category,
    the search's type and the archive's page do; the JSON API answers 400 instead."""
    html = body(client, "/notices/?utility=steam&major=yes&district=&community=")
    assert titles(html) == titles(body(client, "/notices/"))
    utilities = html.split('id="f-utility"')[1].split("</select>")[0]
    assert " selected" not in utilities  # the form shows what is applied: 全部
    assert 'name="major" value="1" checked' not in html


def test_archive_is_paginated_with_filters_kept(client):
    past = timezone.now() - timedelta(days=40)
    for number in range(25):
        notice = make_notice(
            starts_at=past + timedelta(hours=number), ends_at=past + timedelta(hours=number + 2)
        )
        # Published after its end: the publish handler started and restored it.
        assert OutageNoticePage.objects.get(pk=notice.pk).state == "restored"
    html = body(client, "/notices/archive/?utility=water")
    assert "第1页，共2页" in html
    assert 'href="?utility=water&amp;page=2"' in html
    assert len(titles(html)) == 20
    assert len(titles(body(client, "/notices/archive/?utility=water&page=2"))) == 5
    assert "第四供热所御景湾热力站停热通知（已恢复）" in titles(body(client, "/notices/archive/"))


def test_notice_detail_writes_times_the_chinese_way(client, clock):
    clock("2027-01-10T09:00")  # three days before: 预告
    start = datetime(2027, 1, 13, 8, 0, tzinfo=SHANGHAI)
    notice = make_notice(
        title="星宇东泵站停水",
        slug="xy-water",
        starts_at=start,
        ends_at=start + timedelta(hours=23),
        communities=[Community.objects.get(code="LY-0001")],
        households=2160,
        contact_phone="0431-0000-0110",
    )
    html = body(client, notice.url)
    assert "1月13日 8:00—14日 7:00" in html
    assert "23小时" in html
    assert '<span class="badge badge-scheduled">预告</span>' in html
    assert "<li>南至皓月大路</li>" in html and "<li>东至铁路</li>" in html
    assert 'href="/directory/LY-0001/">星宇小区</a>' in html
    assert 'href="tel:043100000110"' in html
    assert "2160户" in html
    assert f'href="/cap/notices/{notice.pk}.xml"' in html  # autodiscovery and link
    assert f'type="text/calendar" title="加入日历" href="/calendar/notices/{notice.pk}.ics"' in html


def test_notice_timeline_and_unknown_end(client):
    notice = make_notice(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=None, end_is_estimate=True
    )
    record_update(notice.pk, "info", text="抢修人员已到场")
    html = body(client, notice.url)
    assert "恢复时间待定" in html
    assert "抢修人员已到场" in html and "已到开始时间" in html
    assert html.index("已到开始时间") < html.index("抢修人员已到场")


def test_drafts_are_not_visible(client):
    draft = make_notice(publish=False, slug="secret-draft")
    assert client.get("/notices/secret-draft/").status_code == 404
    assert "secret-draft" not in body(client, "/notices/")
    assert draft.title not in body(client, "/feeds/notices.rss")


def test_community_page_lists_its_notices_and_feeds(client):
    html = body(client, "/directory/LY-0001/")
    assert "绿园区星宇东泵站停水通知" in html
    assert "御景湾" not in html.split("停水停气停热")[1]
    assert (
        'rel="alternate" type="application/rss+xml"' in html
        and "/feeds/community/LY-0001.rss" in html
    )
    assert "/calendar/community/LY-0001.ics" in html


def test_notice_list_advertises_all_and_major_feeds(client):
    html = body(client, "/notices/")
    for url in (
        "/feeds/notices.rss",
        "/feeds/notices.atom",
        "/feeds/major.rss",
        "/feeds/major.atom",
    ):
        assert f'href="{url}"' in html


def test_query_counts_do_not_grow_with_notices(client):
    community = Community.objects.get(code="LY-0001")
    first = make_notice(communities=[community])
    urls = [
        "/notices/",
        "/notices/archive/",
        first.url,
        "/directory/LY-0001/",
        "/notices/?community=xy",
    ]
    before = {url: queries_for(client, url) for url in urls}
    for _ in range(15):
        notice = make_notice(communities=[community])
        record_update(notice.pk, "info", text="进展")
    after = {url: queries_for(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 10
    assert OutageNoticePage.objects.count() >= 24
