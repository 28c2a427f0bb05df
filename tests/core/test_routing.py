"""core.routing: a page address routed as Wagtail routes it, then from memory until the page
tree changes; what a route finds is never served stale."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from core import page_cache
from faq.models import FAQIndexPage
from notices.models import NoticeIndexPage, OutageNoticePage
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db


def queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def test_a_page_is_routed_from_memory_after_its_first_view(client):
    notice = make_notice(title="记忆路由测试通知")
    url = notice.url
    first, response = queries(client, url)
    assert response.status_code == 200 and "记忆路由测试通知" in response.content.decode()
    second, response = queries(client, url)
    assert response.status_code == 200 and "记忆路由测试通知" in response.content.decode()
    # Wagtail's walk (two queries a level) and its view-restriction check (two) are gone.
    assert second <= first - 4


def test_unpublished_moved_renamed_and_new_pages_are_seen_at_once(client):
    notice = make_notice(title="将要改名的通知")
    old_url = notice.url
    assert client.get(old_url).status_code == 200
    notice.slug = "renamed-notice"
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert notice.url != old_url and client.get(notice.url).status_code == 200
    notice.unpublish()
    assert client.get(notice.url).status_code == 404
    new_url = old_url.rstrip("/") + "-new/"
    assert client.get(new_url).status_code == 404  # remembered as no page...
    make_notice(title="新的通知", slug=new_url.rstrip("/").rsplit("/", 1)[1])
    assert client.get(new_url).status_code == 200  # ...until a page is saved


def test_a_routable_page_view_runs_on_the_page_loaded_for_the_request(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # a row changed behind Wagtail's back drops no response
    index = NoticeIndexPage.objects.get()
    assert client.get(index.url).status_code == 200
    index.intro = "<p>导语已经更新</p>"
    index.save_revision().publish()
    assert "导语已经更新" in client.get(index.url).content.decode()
    NoticeIndexPage.objects.filter(pk=index.pk).update(intro="<p>未经保存的导语</p>")
    # Changed without a save: the page's row is kept as a cached response is, until its tag
    # is renewed (what such a change must do, as rules.actions.set_major does).
    assert "未经保存的导语" not in client.get(index.url).content.decode()
    page_cache.invalidate(page_cache.page_tag(index.pk))
    assert "未经保存的导语" in client.get(index.url).content.decode()


def test_a_page_row_is_read_once_per_change(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    notice = make_notice()
    client.get(notice.url)

    def page_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(notice.url).status_code == 200
        return [q["sql"] for q in captured if '"notices_outagenoticepage"' in q["sql"]]

    assert page_queries() == []
    notice.title = "改过的标题"
    notice.save_revision().publish()
    client.get(notice.url)
    assert page_queries() == []
    assert "改过的标题" in client.get(notice.url).content.decode()


def test_a_view_restriction_added_later_applies_at_once(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # the site offers no view restrictions: none drops responses
    faq = FAQIndexPage.objects.get()
    assert client.get(faq.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=faq, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="编辑"))
    response = client.get(faq.url)
    assert response.status_code == 302 and "/_util/login/" in response["Location"]
    restriction.delete()
    assert client.get(faq.url).status_code == 200


def test_a_deleted_page_is_not_served_from_a_remembered_route(client):
    notice = make_notice(title="将被删除的通知")
    url = notice.url
    assert client.get(url).status_code == 200
    Page.objects.filter(pk=notice.pk).delete()
    assert client.get(url).status_code == 404
    assert not OutageNoticePage.objects.filter(pk=notice.pk).exists()
