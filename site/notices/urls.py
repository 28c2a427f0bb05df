"""Machine-readable channels of the notices: RSS/Atom feeds, CAP 1.2, iCalendar and JSON.
Their contract with the disclosure portal is docs/feeds.md."""

from django.urls import path, re_path

from core.page_cache import tagged
from notices.cache_tags import NOTICES, community_feed, page
from notices.channels import api, calendar, cap, feeds

# Each view tagged with what it shows, so the page cache can keep it until that changes.
listing = tagged(NOTICES)
one_notice = tagged(dynamic=lambda notice_id: [page(notice_id)])
one_community = tagged(dynamic=lambda code: community_feed(code))

urlpatterns = [
    path("feeds/notices.rss", listing(feeds.all_rss), name="notice_feed_rss"),
    path("feeds/notices.atom", listing(feeds.all_atom), name="notice_feed_atom"),
    path("feeds/major.rss", listing(feeds.major_rss), name="major_feed_rss"),
    path("feeds/major.atom", listing(feeds.major_atom), name="major_feed_atom"),
    path("feeds/utility/<str:utility>.rss", listing(feeds.utility_rss), name="utility_feed_rss"),
    path("feeds/utility/<str:utility>.atom", listing(feeds.utility_atom), name="utility_feed_atom"),
    path(
        "feeds/community/<slug:code>.rss",
        one_community(feeds.community_rss),
        name="community_feed_rss",
    ),
    path(
        "feeds/community/<slug:code>.atom",
        one_community(feeds.community_atom),
        name="community_feed_atom",
    ),
    path("cap/notices/<id:notice_id>.xml", one_notice(cap.notice_cap), name="notice_cap"),
    path("cap/index.atom", listing(cap.cap_index), name="cap_index"),
    path(
        "calendar/notices/<id:notice_id>.ics",
        one_notice(calendar.notice_calendar),
        name="notice_ical",
    ),
    path(
        "calendar/community/<slug:code>.ics",
        one_community(calendar.community_calendar),
        name="community_ical",
    ),
    path("api/notices/", listing(api.notice_list), name="api_notice_list"),
    path("api/notices/<id:notice_id>/", one_notice(api.notice_detail), name="api_notice_detail"),
    re_path(r"^api/.*/$", api.not_found, name="api_not_found"),  # last: JSON, never HTML
]
