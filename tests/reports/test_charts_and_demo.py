"""The charts' arithmetic and colours, and the demo's 年度报告 column."""

import pytest
from wagtail.models import Page

from demo.loader import _publish
from demo.reports_loader import load_reports_demo
from reports import charts
from reports.models import AnnualReportPage, SeasonQualityPage


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def test_colours_keep_wcag_contrast_on_white():
    assert contrast_on_white(charts.INK) >= 4.5  # text
    assert contrast_on_white(charts.GRID) >= 3
    assert all(contrast_on_white(colour) >= 4.5 for colour in charts.SERIES_COLOURS)


def test_scales_are_round_and_cover_the_largest_value():
    assert charts.nice_ticks(100) == [0, 50, 100]
    assert charts.nice_ticks(192) == [0, 50, 100, 150, 200]
    assert charts.nice_ticks(0) == [0, 1]


def test_bars_scale_to_the_largest_and_long_labels_are_shortened():
    chart = charts.bar_chart(
        "c", "标题", "说明", [("燃气管网改造工程，需停气施工", 192, "192小时"), ("短", None, "—")]
    )
    long, missing = chart.bars
    assert long.label == "燃气管网改造工程…"
    assert long.length == pytest.approx(192 / 200 * (chart.plot_right - chart.plot_left), abs=0.1)
    assert missing.length == 0


def test_a_missing_value_breaks_the_line():
    chart = charts.line_chart("c", "t", "d", ["1月", "2月", "3月"], [("率", [50.0, None, 100.0])])
    [series] = chart.series
    assert series.path.count("M") == 2 and "L" not in series.path
    assert [point.text for point in series.points] == ["50%", "100%"]


@pytest.mark.django_db
def test_the_demo_has_the_2025_report_and_the_season_and_loads_once(home):
    report = AnnualReportPage.objects.get(year=2025)
    assert report.live and report.figures["final"]
    assert "建城规〔2021〕4号" in report.overview
    assert report.document_number == "春热〔2026〕3号"
    season = SeasonQualityPage.objects.get()
    assert (season.season_start.isoformat(), season.season_end.isoformat()) == (
        "2026-10-20",
        "2027-04-05",
    )
    before = Page.objects.count()
    load_reports_demo(home, _publish)
    assert Page.objects.count() == before
