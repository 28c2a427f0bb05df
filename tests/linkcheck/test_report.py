"""The link report in the admin: who sees it (编辑 and 审核; anonymous users are sent to the login,
others refused), its filters, its CSV, the 立即检查 button (审核), and the dashboard panel."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from faq.models import FAQIndexPage, QuestionPage
from linkcheck import run as linkcheck
from linkcheck.enums import RunState
from linkcheck.models import LinkCheckRun
from tests.factories.pages import publish_child

pytestmark = pytest.mark.django_db

REPORT = "/admin/linkcheck/"
CSV = "/admin/linkcheck/report.csv"
START = "/admin/linkcheck/run/"


@pytest.fixture
def problems():
    """An error (a link to a deleted page) and a warning (a typed address) in one answer, with
    link text a spreadsheet would run."""
    faq = FAQIndexPage.objects.live().get()
    gone = publish_child(faq, QuestionPage(title="旧问题", slug="old", answer="<p>旧</p>"))
    gone_id = gone.pk
    page = publish_child(
        faq,
        QuestionPage(
            title="新问题",
            slug="new",
            answer=f'<p><a linktype="page" id="{gone_id}">=HYPERLINK("http://x")</a>'
            '<a href="/faq/">全部问题</a></p>',
        ),
    )
    gone.delete()
    linkcheck.run_link_check()
    return page, gone_id


def logged_in(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_the_login(client):
    for url in (REPORT, CSV):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(START)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not LinkCheckRun.objects.exists()


def test_staff_without_the_permission_are_refused(django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(clerk)
    # Wagtail turns the PermissionDenied into a redirect to the dashboard.
    for url in (REPORT, CSV):
        assert client.get(url)["Location"] == "/admin/"
    assert client.post(START)["Location"] == "/admin/"
    assert not LinkCheckRun.objects.exists()
    assert REPORT not in client.get("/admin/reports/").content.decode()


def test_editors_read_the_report(editor, problems):
    page, gone_id = problems
    client = logged_in(editor)
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "链接检查" in html and "新问题" in html and "解答" in html
    assert f"站内页面（编号{gone_id}）" in html and "目标已删除" in html
    assert "固定地址" in html
    assert "未修复：<strong>1</strong>个失效链接，<strong>1</strong>个需更新的链接" in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    assert "立即检查" not in html  # 审核 starts runs
    assert REPORT in client.get("/admin/").content.decode()  # the dashboard panel


def test_filters(editor, problems):
    client = logged_in(editor)
    errors = client.get(REPORT, {"severity": "error"}).content.decode()
    assert "共1条" in errors and "HYPERLINK" in errors and "全部问题" not in errors
    warnings = client.get(REPORT, {"status": "hard_coded"}).content.decode()
    assert "共1条" in warnings and "全部问题" in warnings and "HYPERLINK" not in warnings
    assert "共0条" in client.get(REPORT, {"kind": "external"}).content.decode()
    assert "共0条" in client.get(REPORT, {"state": "fixed"}).content.decode()
    assert "共2条" in client.get(REPORT, {"state": "new"}).content.decode()
    assert "共2条" in client.get(REPORT, {"status": "nonsense"}).content.decode()  # ignored
    page, _gone_id = problems
    page_type = ContentType.objects.get_for_model(Page)
    by_page = client.get(REPORT, {"source": f"{page_type.pk}-{page.pk}"}).content.decode()
    assert "共2条" in by_page
    assert "共2条" in client.get(REPORT, {"source": "0-0"}).content.decode()  # not a choice


def test_csv_has_the_same_rows_safe_for_spreadsheets(editor, problems):
    response = logged_in(editor).get(CSV, {"severity": "error"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="linkcheck-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["状态", "严重程度", "问题", "类型"]
    assert len(rows) == 2
    row = rows[1]
    assert row[:6] == ["未修复", "失效", "目标已删除", "站内链接", "新问题", "解答"]
    assert row[6].startswith("“=HYPERLINK")  # quoted: no formula
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_moderators_start_a_run(moderator, problems, commits_at_once):
    client = logged_in(moderator)
    assert "立即检查" in client.get(REPORT).content.decode()
    response = client.post(START)
    assert response.status_code == 302 and response["Location"] == REPORT
    # The test settings run tasks where they are queued: the run is over.
    run = LinkCheckRun.objects.order_by("-pk").first()
    assert run.state == RunState.FINISHED and run.started_by == moderator
    assert "已开始检查链接" in client.get(REPORT).content.decode()


def test_a_second_click_while_a_run_waits_starts_nothing(moderator):
    linkcheck.start(user=None)
    client = logged_in(moderator)
    client.post(START)
    assert LinkCheckRun.objects.count() == 1
    assert "链接检查正在进行" in client.get(REPORT).content.decode()


def test_starting_needs_a_post_with_the_csrf_token(moderator):
    client = logged_in(moderator)
    assert client.get(START).status_code == 405
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert strict.post(START).status_code == 403
    assert not LinkCheckRun.objects.exists()


def test_the_dashboard_panel_summarises(moderator, problems):
    html = logged_in(moderator).get("/admin/").content.decode()
    assert "未修复：1个失效链接，1个需更新的链接；最近一次检查新发现2个。" in html
    assert "新问题" in html


def test_no_panel_without_problems(moderator):
    assert "未修复：" not in logged_in(moderator).get("/admin/").content.decode()
