"""The demo's 2025 (demo.history_loader): the year's records give the 2025 信息公开工作年度报告
and the 2025—2026 season's quality page believable, non-zero figures, and nothing of that
past is sent or dated now."""

from datetime import date

import pytest
from django.utils import timezone

from alerts.models import OutboundMessage
from catalogue.models import CatalogueItem
from demo.channels_loader import load_channel_demo
from demo.history_loader import load_history_demo
from demo.servicedesk_loader import load_service_desk_demo
from notices.models import OutageNoticePage
from reports.models import AnnualReportPage, ClosedMonth, SeasonQualityPage
from servicedesk.models import ComplianceFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(clock):
    """The demo as `manage.py load_demo` loads it, on a day of the 2026—2027 season."""
    clock("2026-12-04T10:00")
    load_service_desk_demo()
    load_channel_demo()
    return load_history_demo()


def test_the_2025_report_counts_the_demo_year(history):
    assert history["year"] == 2025 and history["year_notices"] == 14
    figures = AnnualReportPage.objects.get(year=2025).current_figures()
    assert figures.final
    published = {column.column: column.published for column in figures.columns}
    assert published["outages"] == 14
    assert published["fees"] == 1  # the 2025—2026 season's fee rules
    assert published["reports"] == 1  # the 2025—2026 season's quality page
    assert figures.outages.notices == 14 and figures.outages.cancelled == 1
    by_utility = {row.key: row for row in figures.outages_by_utility}
    assert all(
        by_utility[key].notices and by_utility[key].actual_hours for key in ("heat", "water", "gas")
    )
    assert {row.key for row in figures.durations if row.actual} == {"short", "day", "long"}
    assert figures.outages_by_cause[0].label == "泵站计划性清洗水箱"
    channels = {row.channel: row for row in figures.messages}
    for name in ("sms", "wechat", "robot", "press"):
        assert channels[name].messages and channels[name].sent, name
    assert 0 < channels["sms"].failed < channels["sms"].sent / 20
    requests = figures.requests
    assert requests.received == history["year_requests"] >= 90
    assert 90 <= requests.in_time_rate < 100 and 80 <= requests.satisfaction_rate < 100
    assert all(row.received for row in figures.requests_by_kind)
    assert len(figures.requests_by_station) == 10


def test_the_2025_2026_season_has_figures_for_every_month(history):
    page = SeasonQualityPage.objects.get(slug="heating-quality-2025-2026")
    figures = page.current_figures()
    assert figures.final
    assert [month.month for month in figures.months] == [
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
    ]  # fmt: skip
    assert all(month.homes.measured and month.requests.received for month in figures.months)
    assert 80 <= figures.homes.rate < 100  # some homes were below the 18 ℃ standard
    assert figures.outages.notices and figures.causes
    temperature = next(row for row in figures.responses if row.kind == "temperature")
    assert temperature.requests.received == figures.homes.measured
    assert temperature.resolve_limit == "24小时内"
    # Each month stored the night after it closed, as the daily job would have.
    closed = {
        record.month: timezone.localtime(record.closed_at).date()
        for record in ClosedMonth.objects.filter(season=page)
    }
    assert len(closed) == 7
    assert closed[date(2025, 10, 1)] == date(2025, 11, 1)
    assert closed[date(2026, 4, 1)] == date(2026, 4, 6)  # the season's last day closes April
    assert ComplianceFigure.objects.filter(month=date(2025, 11, 1), station=None).get().received


def test_the_past_is_dated_then_and_sends_nothing_now(history):
    notices = OutageNoticePage.objects.filter(slug__startswith="2025-")
    assert all(notice.first_published_at.year == 2025 for notice in notices)
    assert all(notice.went_live_at == notice.first_published_at for notice in notices)
    messages = OutboundMessage.objects.filter(notice__in=notices)
    assert messages.exists()
    assert not messages.exclude(created_at__year=2025).exists()
    assert not messages.exclude(status="done").exists()
    items = CatalogueItem.objects.filter(page_id__in=[notice.pk for notice in notices])
    assert items.count() == 14
    for item in items:
        assert "/06-2025-" in item.index_number
        assert item.updated_at.year == 2025
        assert [change.at.year for change in item.changes.all()] == [2025]


def test_loading_the_history_again_adds_nothing(history):
    assert load_history_demo() == history
