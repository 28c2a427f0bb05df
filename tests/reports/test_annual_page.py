"""The yearly report as a page: its figures stored when it is really published (through the
moderation workflow), read from there by every view, its tables accessible, its CSV safe."""

import csv
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import html
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text

from reports.figures import compute_year
from reports.models import AnnualReportPage, ReportIndexPage
from reports.tasks import close_periods
from tests.factories.pages import publish_child
from tests.reports.builders import at, notice
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CAUSE = '=HYPERLINK("http://example.com","点这里")'


@pytest.fixture
def index():
    return ReportIndexPage.objects.get()


def make_report(index, year, **fields) -> AnnualReportPage:
    defaults = {
        "title": f"{year}年信息公开工作年度报告",
        "slug": f"report-{year}",
        "year": year,
        "overview": "<p>全年信息公开工作总体平稳。</p>",
        "problems": "<p>部分通知原因表述不统一。</p>",
    }
    return publish_child(index, AnnualReportPage(**{**defaults, **fields}))


@pytest.fixture
def report_2024(clock, index, commits_at_once):
    notice(
        clock,
        "2024-03-01T10:00",
        "2024-03-02T08:00",
        "2024-03-02T14:00",
        cause=CAUSE,
        title="停水",
        slug="p-n1",
    )
    clock("2025-01-20T10:00")
    return make_report(index, 2024)


def test_publishing_stores_the_final_figures(report_2024):
    assert report_2024.figures["year"] == 2024
    assert report_2024.figures["final"] is True
    assert report_2024.figures["outages"]["notices"] == 1
    assert report_2024.figures_computed_at is not None


def test_a_view_reads_the_stored_figures_within_ten_queries(client, report_2024, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # count the rendering, not a cache hit
    with mock.patch("reports.models.compute_year", side_effect=AssertionError("recomputed")):
        assert queries_for(client, report_2024.url) <= 10
        assert queries_for(client, report_2024.url + "figures.csv") <= 10


def test_the_page_shows_the_five_parts_in_accessible_tables(client, report_2024):
    response = client.get(report_2024.url)
    assert response.status_code == 200
    document = html.fromstring(response.content)
    headings = [h.text_content() for h in document.findall(".//h2")]
    assert headings[:5] == [
        "一、总体情况",
        "二、主动公开情况",
        "三、收到和处理投诉建议情况",
        "四、存在的主要问题及改进情况",
        "五、其他需要报告的事项",
    ]
    assert "全年信息公开工作总体平稳。" in response.content.decode()
    tables = document.findall(".//table")
    assert len(tables) == 7
    for table in tables:
        assert table.find("caption") is not None and table.find("caption").text_content().strip()
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    # The stored figures are the ones shown: the notice's cause, escaped.
    assert CAUSE in [th.text_content() for th in document.iter("th")]
    assert "<a href" not in response.content.decode().split("表3")[1].split("</table>")[0]


def test_the_csv_has_every_figure_with_a_chinese_header_a_bom_and_no_formula(client, report_2024):
    response = client.get(report_2024.url + "figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["范围", "部分", "项目", "指标", "数值"]
    assert ["2024年", "停供通知（按类型）", "合计", "通知数", "1"] in rows
    assert ["2024年", "主动公开", "停供信息", "本年新公开（条）", "1"] in rows
    assert ["2024年", "服务诉求（按类型）", "合计", "受理数", "0"] in rows
    causes = [row for row in rows if row[1] == "停供通知（按原因）"]
    assert causes and all(row[2] == "'" + CAUSE for row in causes)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_running_year_shows_figures_at_most_ten_minutes_old(clock, client, index, settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    clock("2027-06-01T10:00")
    report = make_report(index, 2027)
    assert report.figures["final"] is False
    with mock.patch("reports.models.compute_year", wraps=compute_year) as compute:
        client.get(report.url)
        client.get(report.url)
        assert compute.call_count == 1  # then from the cache
        clock.shift(601)
        client.get(report.url)
        assert compute.call_count == 2
    assert "年度尚未结束" in client.get(report.url).content.decode()


def test_the_daily_job_stores_the_final_figures_once_the_year_is_over(clock, index):
    clock("2027-12-30T10:00")
    report = make_report(index, 2027)
    assert report.pk not in close_periods()["finalised"]  # the year is still running
    clock("2028-01-01T00:30")
    assert report.pk in close_periods()["finalised"]
    report.refresh_from_db()
    assert report.figures["final"] is True
    assert report.pk not in close_periods()["finalised"]  # once


def test_a_revision_scheduled_for_later_stores_nothing(clock, index):
    clock("2025-01-20T10:00")
    page = AnnualReportPage(title="2023年报告", slug="report-2023", year=2023)
    index.add_child(instance=page)
    page.go_live_at = at("2025-02-01T09:00")
    page.save_revision(approved_go_live_at=page.go_live_at).publish()
    page.refresh_from_db()
    assert not page.live
    assert page.figures is None


def test_one_report_per_year(report_2024, index):
    duplicate = AnnualReportPage(title="重复", slug="dup", year=2024)
    with pytest.raises(ValidationError) as raised:
        duplicate.clean()
    assert "year" in raised.value.message_dict


def report_form(**actions):
    return nested_form_data(
        {
            "title": "2024年信息公开工作年度报告",
            "slug": "report-2024-admin",
            "year": 2024,
            "overview": rich_text("<p>总体情况。</p>"),
            "problems": rich_text("<p>存在的问题。</p>"),
            "other_matters": rich_text(""),
            "validity": "valid",
            **actions,
        }
    )


def test_staff_write_it_and_审核_publishes_it_through_the_workflow(
    clock, client, editor, moderator, index
):
    clock("2025-01-20T10:00")
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("reports", "annualreportpage", index.pk))
    response = client.post(add, report_form(**{"action-submit": "submit"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = AnnualReportPage.objects.get(slug="report-2024-admin")
    assert not page.live and page.figures is None
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state.pk),
    )
    client.force_login(moderator)
    client.post(approve, {"comment": "同意发布"})
    page.refresh_from_db()
    assert page.live
    assert page.figures["year"] == 2024 and page.figures["final"]
    client.logout()
    assert "存在的问题。" in client.get(page.url).content.decode()
