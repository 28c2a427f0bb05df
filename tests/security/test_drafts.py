"""Drafts, previews, revisions and scheduled pages are never visible to anonymous readers: not
on the page, the listings and the home page, not in the feeds, CAP, iCalendar, the JSON API or
search, and the admin's preview, draft, revision and compare views send them to the login.
Each test also shows the content once it is published, so that an absence proves something."""

from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone

from contacts.models import Community
from faq.models import FAQIndexPage, QuestionPage
from notices.models import NoticeIndexPage
from regulations.importer import import_document
from tests.factories.notices import make_notice
from tests.factories.pages import make_question
from tests.factories.regulations import make_index, make_regulation, rulebook, word_file

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

COMMUNITY = "LY-0001"
SECRET = "绝密草稿"  # in every draft below
SEARCH = f"/search/?q={SECRET}"  # only its results are looked at, not the query shown back


def reader():
    return Client(HTTP_HOST="localhost")


def notice_channels(notice) -> list[str]:
    return [
        "/",
        NoticeIndexPage.objects.get().url,
        f"{NoticeIndexPage.objects.get().url}archive/",
        f"/directory/{COMMUNITY}/",
        "/feeds/notices.rss",
        "/feeds/notices.atom",
        "/feeds/major.rss",
        "/feeds/major.atom",
        f"/feeds/utility/{notice.utility}.rss",
        f"/feeds/utility/{notice.utility}.atom",
        f"/feeds/community/{COMMUNITY}.rss",
        "/feeds/column/outages.atom",
        "/cap/index.atom",
        f"/calendar/community/{COMMUNITY}.ics",
        "/api/notices/",
        f"/api/notices/?community={COMMUNITY}",
        SEARCH,
    ]


def not_for_upcoming() -> set[str]:
    """Channels that do not show an upcoming notice even once it is published."""
    return {f"{NoticeIndexPage.objects.get().url}archive/", "/"}


def notice_documents(notice) -> list[str]:
    return [
        notice.url,
        f"/cap/notices/{notice.pk}.xml",
        f"/calendar/notices/{notice.pk}.ics",
        f"/api/notices/{notice.pk}/",
    ]


def visible_anywhere(client, urls) -> list[str]:
    """The URLs that answer with the secret."""
    shown = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        content = response.content.decode()
        if url.startswith("/search/"):
            results = lxml.html.fromstring(content).find_class("search-group")
            content = "".join(result.text_content() for result in results)
        if SECRET in content:
            shown.append(url)
    return shown


def admin_views(page, parent=None) -> list[str]:
    """The admin's views of a page's unpublished content."""
    revision = page.latest_revision
    urls = [
        f"/admin/pages/{page.pk}/view_draft/",
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/edit/preview/",
        f"/admin/pages/{page.pk}/revisions/",
        f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{page.pk}/revisions/compare/earliest...latest/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/api/main/pages/{page.pk}/",
    ]
    if parent is not None:
        model = page.specific_class._meta
        urls.append(f"/admin/pages/add/{model.app_label}/{model.model_name}/{parent.pk}/preview/")
    return urls


def assert_admin_views_need_a_login(page, parent=None):
    for url in admin_views(page, parent):
        response = reader().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
        assert SECRET not in response.content.decode()


def test_an_unpublished_notice_is_nowhere(moderator, commits_at_once):
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(
        title=f"{SECRET}停热通知", area_name=f"{SECRET}泵站", communities=[community], publish=False
    )
    client = reader()
    for url in notice_documents(notice):
        assert client.get(url).status_code == 404, url
    assert visible_anywhere(client, notice_channels(notice)) == []
    assert_admin_views_need_a_login(notice, parent=NoticeIndexPage.objects.get())

    # A moderator sees the draft; the reader still does not, even right after.
    staff = reader()
    staff.force_login(moderator)
    assert SECRET in staff.get(f"/admin/pages/{notice.pk}/view_draft/").content.decode()
    assert visible_anywhere(client, notice_channels(notice)) == []

    notice.get_latest_revision().publish()
    urls = notice_channels(notice) + notice_documents(notice)
    assert set(urls) - set(visible_anywhere(client, urls)) == not_for_upcoming()


def test_changes_saved_but_not_published_stay_unseen(moderator, commits_at_once):
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(title="星宇小区停热通知", communities=[community])
    draft = notice.get_latest_revision_as_object()
    draft.title = f"{SECRET}停热通知"
    draft.area_name = f"{SECRET}泵站"
    draft.save_revision()
    notice.refresh_from_db()
    assert notice.has_unpublished_changes

    client = reader()
    urls = notice_channels(notice) + notice_documents(notice)
    assert visible_anywhere(client, urls) == []
    assert_admin_views_need_a_login(notice)
    staff = reader()
    staff.force_login(moderator)
    staff.get(f"/admin/pages/{notice.pk}/view_draft/")
    staff.get(notice.url)
    assert visible_anywhere(client, urls) == []

    notice.get_latest_revision().publish()
    assert set(urls) - set(visible_anywhere(client, urls)) == not_for_upcoming()


def test_scheduled_pages_wait_for_their_time():
    community = Community.objects.get(code=COMMUNITY)
    notice = make_notice(title=f"{SECRET}定时通知", communities=[community], publish=False)
    notice.go_live_at = timezone.now() + timedelta(hours=2)
    notice.save_revision(approved_go_live_at=notice.go_live_at).publish()
    notice.refresh_from_db()
    assert not notice.live

    client = reader()
    for url in notice_documents(notice):
        assert client.get(url).status_code == 404, url
    assert visible_anywhere(client, notice_channels(notice)) == []


def test_scheduled_changes_to_a_live_page_wait_too():
    notice = make_notice(
        title="星宇小区停水通知", communities=[Community.objects.get(code=COMMUNITY)]
    )
    draft = notice.get_latest_revision_as_object()
    draft.title = f"{SECRET}停水通知"
    draft.go_live_at = timezone.now() + timedelta(hours=2)
    draft.save_revision(approved_go_live_at=draft.go_live_at).publish()
    notice.refresh_from_db()
    assert notice.live and notice.title == "星宇小区停水通知"
    assert visible_anywhere(reader(), notice_channels(notice) + notice_documents(notice)) == []


def test_faq_drafts_stay_unseen():
    index = FAQIndexPage.objects.get()
    question = QuestionPage(title=f"{SECRET}怎么办", slug="secret-question", answer="<p>答复</p>")
    index.add_child(instance=question)
    QuestionPage.objects.filter(pk=question.pk).update(live=False)
    question.refresh_from_db()
    question.save_revision()
    live = make_question(index, title="暖气不热怎么办", slug="live-question")
    draft = live.get_latest_revision_as_object()
    draft.answer = f"<p>{SECRET}的答复</p>"
    draft.save_revision()

    client = reader()
    assert client.get(question.url).status_code == 404
    urls = [index.url, live.url, "/", SEARCH]
    assert visible_anywhere(client, urls) == []
    assert_admin_views_need_a_login(question, parent=index)

    question.get_latest_revision().publish()
    live.get_latest_revision().publish()
    assert set(visible_anywhere(client, urls)) == {index.url, live.url, SEARCH}


def test_imported_regulation_drafts_stay_unseen(home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    index = make_index(home)
    draft = import_document(
        rulebook(f"{SECRET}管理办法"), original=word_file(), filename="a.docx", parent=index
    ).page
    published = make_regulation(index, rulebook("供热服务管理办法"))
    # A re-import of the published one: a new revision, not yet published.
    changed = import_document(
        rulebook("供热服务管理办法", articles=6),
        original=word_file(),
        filename="b.docx",
        parent=index,
    ).page
    assert changed.pk == published.pk
    revised = changed.get_latest_revision_as_object()
    revised.issuing_body = f"{SECRET}发文单位"
    revised.save_revision()

    client = reader()
    assert client.get(draft.url).status_code == 404
    urls = [
        index.url,
        published.url,
        "/feeds/column/regulations.rss",
        "/feeds/column/regulations.atom",
        SEARCH,
    ]
    assert visible_anywhere(client, urls) == []
    assert_admin_views_need_a_login(draft, parent=index)
    assert_admin_views_need_a_login(published)

    draft.get_latest_revision().publish()
    assert index.url in visible_anywhere(client, urls)
