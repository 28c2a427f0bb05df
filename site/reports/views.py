"""What a report page serves beside itself, at addresses Wagtail's page routes cannot hold (a
dot in the last segment): `<page url>figures.csv` for both reports, `<page url>months.rss` and
`months.atom` for a season. GET only; cached whole under the page's tag (core.page_cache), which
publishing the page or closing a month drops."""

from django.http import Http404
from wagtail.models import Page, Site

from core import page_cache
from core.addresses import base_url
from core.conditional import conditional, fingerprint
from reports import csv_export
from reports.feeds import AtomMonthsFeed, MonthsFeed
from reports.models import AnnualReportPage, ClosedMonth, SeasonQualityPage


def _live_page(request, path: str, *models):
    """The live page of one of `models` at `path` under the request's site (one query)."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = next((p.root_path for p in Site.get_site_root_paths() if p.site_id == site.pk), None)
    if root is None:
        raise Http404
    page = Page.objects.live().filter(url_path=root + path).specific().first()
    if not isinstance(page, models):
        raise Http404
    page_cache.tag(request, page_cache.page_tag(page.pk))
    return page


def figures_csv(request, path: str):
    page = _live_page(request, path, AnnualReportPage, SeasonQualityPage)
    figures = page.current_figures()
    if isinstance(page, AnnualReportPage):
        scope = f"{page.year}年"
        rows = csv_export.annual_rows(figures)
        filename = f"annual-report-{page.year}.csv"
    else:
        scope = f"{page.season_start:%Y-%m-%d}—{page.season_end:%Y-%m-%d}"
        rows = csv_export.season_rows(figures)
        filename = f"heating-quality-{page.season_start:%Y}-{page.season_end:%Y}.csv"
    return csv_export.csv_response(scope, rows, filename)


def _months_view(feed_class):
    def compute(request, path):
        page = _live_page(request, path, SeasonQualityPage)
        request._report_page = page
        key = f"{base_url(request)}:season-{page.pk}-months:{page.last_published_at}"
        return fingerprint(ClosedMonth.objects.filter(season=page), "closed_at", key)

    def view(request, path):
        page = getattr(request, "_report_page", None) or _live_page(
            request, path, SeasonQualityPage
        )
        return feed_class()(request, page=page)

    return conditional(compute)(view)


months_rss = _months_view(MonthsFeed)
months_atom = _months_view(AtomMonthsFeed)
