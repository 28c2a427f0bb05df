"""The season's quality page: charts drawn on the server with their titles and data tables, the
CSV, a month stored once when it closes, and the feed of closed months."""

import csv
import io
from datetime import date

import pytest
from lxml import etree, html

from reports.models import ClosedMonth, ReportIndexPage, SeasonQualityPage
from reports.tasks import close_months, close_periods
from tests.factories.pages import publish_child
from tests.factories.servicedesk import communities_of_two_stations
from tests.reports.builders import happened, notice, reading, request
from tests.reports.feed_checks import check_atom, check_rss
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def season_page(clock):
    a, _b = communities_of_two_stations()
    home = request(
        clock, "2024-11-10T08:00", a, kind="temperature", first_contact_at="2024-11-10T08:30"
    )
    reading(home, "2024-11-10T10:00", "19.5")
    cold = request(clock, "2024-12-03T08:00", a, kind="temperature")
    reading(cold, "2024-12-03T10:00", "16.5")
    outage = notice(
        clock,
        "2024-11-01T09:00",
        "2024-11-05T08:00",
        "2024-11-05T12:00",
        cause="=1+1 管网检修",
        title="季",
        slug="sp-n1",
    )
    happened(outage, restored="2024-11-05T13:00")
    clock("2024-12-10T10:00")
    page = SeasonQualityPage(
        title="2024—2025年供热期供热质量",
        slug="quality-2024",
        season_start=date(2024, 10, 20),
        season_end=date(2025, 4, 5),
        intro="<p>供热质量逐月公布。</p>",
    )
    return publish_child(ReportIndexPage.objects.get(), page)


def test_charts_are_svg_with_a_title_a_description_and_a_data_table(client, season_page):
    document = html.fromstring(client.get(season_page.url).content)
    svgs = document.findall(".//svg")
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find("title").get("id") == title_id and svg.find("title").text.strip()
        assert svg.find("desc").get("id") == desc_id
        # The data table comes with the chart, in the same figure.
        figure = svg.getparent()
        assert figure.tag == "figure"
        table = figure.find(".//table")
        assert table.find("caption").text_content().strip()
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    temperature = svgs[0]
    bars = [text.text for text in temperature.iter("text")]
    assert "2024年11月" in bars and "100%" in bars and "0%" in bars
    # Each SVG is well-formed XML on its own.
    etree.fromstring(html.tostring(svgs[1]))


def test_the_page_shows_the_season_within_ten_queries(client, season_page, settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    body = client.get(season_page.url).content.decode()
    assert "室温达标率" in body and "50%" in body  # one of two homes met the standard
    assert queries_for(client, season_page.url) <= 10


def test_the_csv_is_safe_and_complete(client, season_page):
    response = client.get(season_page.url + "figures.csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["范围", "部分", "项目", "指标", "数值"]
    scope = "2024-10-20—2025-04-05"
    assert [scope, "室温达标率", "2024年11月", "室温达标率（%）", "100.0"] in rows
    assert [scope, "室温达标率", "本供热期", "测温户数", "2"] in rows
    assert [scope, "停供时长（按原因）", "'=1+1 管网检修", "实际时长（小时）", "5.0"] in rows
    assert [scope, "服务诉求（按类型）", "测温申请", "联系时限", "24小时内"] in rows


def test_a_closed_month_is_stored_once(clock, season_page):
    assert close_months() == [f"{season_page.pk}:2024-10", f"{season_page.pk}:2024-11"]
    assert close_months() == []  # running again stores nothing
    records = ClosedMonth.objects.filter(season=season_page).order_by("month")
    assert [r.month for r in records] == [date(2024, 10, 1), date(2024, 11, 1)]
    november = records[1].month_figures()
    assert (november.first_day, november.last_day) == ("2024-11-01", "2024-11-30")
    assert (november.homes.measured, november.homes.met) == (1, 1)
    clock("2025-01-01T00:05")
    assert close_months() == [f"{season_page.pk}:2024-12"]
    assert ClosedMonth.objects.filter(season=season_page).count() == 3
    december = ClosedMonth.objects.get(season=season_page, month=date(2024, 12, 1)).month_figures()
    assert (december.homes.measured, december.homes.met) == (1, 0)


def test_the_months_feed_is_valid_rss_and_atom_with_stable_guids(clock, client, season_page):
    empty = check_rss(client.get(season_page.url + "months.rss").content)
    assert empty.entries == []
    close_periods()
    rss = check_rss(client.get(season_page.url + "months.rss").content)
    records = ClosedMonth.objects.filter(season=season_page).order_by("-month")
    assert [entry.id for entry in rss.entries] == [
        f"tag:localhost,2026:season-month-{record.pk}" for record in records
    ]
    assert rss.entries[0].title == "2024年11月供热质量"
    assert "室温达标率100%" in rss.entries[0].summary
    assert rss.entries[0].link.endswith(f"{season_page.url}#month-2024-11")
    atom_response = client.get(season_page.url + "months.atom")
    atom = check_atom(atom_response.content)
    assert [entry.id for entry in atom.entries] == [entry.id for entry in rss.entries]
    repeat = client.get(season_page.url + "months.atom", HTTP_IF_NONE_MATCH=atom_response["ETag"])
    assert repeat.status_code == 304
    # The page lists the closed months the feed links to.
    assert 'id="month-2024-11"' in client.get(season_page.url).content.decode()


def test_a_season_that_ended_gets_its_final_figures(clock, season_page):
    assert season_page.figures["final"] is False
    clock("2025-04-06T00:30")
    assert season_page.pk in close_periods()["finalised"]
    season_page.refresh_from_db()
    assert season_page.figures["final"] is True
    months = ClosedMonth.objects.filter(season=season_page).values_list("month", flat=True)
    assert max(months) == date(2025, 4, 1)


def test_only_report_pages_have_csv_and_feeds(client, season_page):
    assert client.get("/faq/figures.csv").status_code == 404
    assert client.get("/reports/months.rss").status_code == 404
    assert client.get("/reports/2025/months.rss").status_code == 404  # a yearly report
    assert client.get("/reports/2025/figures.csv").status_code == 200
