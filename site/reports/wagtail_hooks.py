from wagtail import hooks

from core.disclosure import COLUMN_PAGES
from reports.models import AnnualReportPage, ReportIndexPage, SeasonQualityPage


@hooks.register(COLUMN_PAGES)
def reports_column():
    """The disclosure column 年度报告 shows the reports (core.disclosure)."""
    return "reports", [ReportIndexPage, AnnualReportPage, SeasonQualityPage]
