"""The public compliance figures under /service/compliance/ (servicedesk.urls): the page (latest
month, or one month), the month's CSV and the feeds. GET only; every response is cached whole
under servicedesk.compliance.CACHE_TAG, dropped when refresh_compliance changes a month."""

from django.urls import path, register_converter

from core.page_cache import tagged
from servicedesk import compliance_views, feeds
from servicedesk.compliance import CACHE_TAG

register_converter(compliance_views.MonthConverter, "yyyy_mm")

cached = tagged(CACHE_TAG)

urlpatterns = [
    path("", cached(compliance_views.compliance_index), name="servicedesk_compliance"),
    path("feed.rss", cached(feeds.compliance_rss), name="servicedesk_compliance_feed"),
    path("feed.atom", cached(feeds.compliance_atom), name="servicedesk_compliance_feed_atom"),
    path(
        "<yyyy_mm:month>/",
        cached(compliance_views.compliance_month),
        name="servicedesk_compliance_month",
    ),
    path(
        "<yyyy_mm:month>.csv",
        cached(compliance_views.compliance_csv),
        name="servicedesk_compliance_csv",
    ),
]
