"""The demo's 年度报告 column (demo.content.reports): the section, the 2025 report and the
quality page of the demo heating season. Idempotent like demo.loader: a page that exists (by
slug under its parent) is left as editors may have changed it. Publishing stores the figures
(reports.signal_handlers); a running season's are recomputed as its records come in."""

from datetime import date

from wagtail.models import Site

from demo.content import reports as content
from demo.content import site as site_content
from demo.metadata import disclosed_fields, without_metadata
from home.models import HomePage, SiteSettings
from reports.models import AnnualReportPage, ReportIndexPage, SeasonQualityPage


def load_reports_demo(home: HomePage, publish) -> None:
    """`publish(parent, page)` adds and publishes a page unless its slug exists there."""
    data = content.REPORT_INDEX
    index = publish(
        home,
        ReportIndexPage(
            show_in_menus=True,
            **{name: data[name] for name in ("title", "slug", "search_description", "intro")},
        ),
    )
    report = content.ANNUAL_REPORT
    publish(index, AnnualReportPage(**without_metadata(report), **disclosed_fields(report)))
    start, end = _season(home)
    season = content.SEASON_PAGE
    publish(
        index,
        SeasonQualityPage(
            season_start=start,
            season_end=end,
            **without_metadata(season),
            **disclosed_fields(season),
        ),
    )


def _season(home: HomePage) -> tuple[date, date]:
    """The season of the site's settings, else the demo's."""
    site = Site.objects.filter(root_page=home).first()
    settings = SiteSettings.for_site(site) if site else None
    if settings and settings.season_start and settings.season_end:
        return settings.season_start, settings.season_end
    return date(*site_content.SEASON[0]), date(*site_content.SEASON[1])
