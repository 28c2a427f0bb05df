"""Machine-readable channels of the notices: RSS/Atom feeds, CAP 1.2, iCalendar and JSON.
Their contract with the disclosure portal is docs/feeds.md."""

from django.urls import path

from notices import api, calendar, cap, feeds

urlpatterns = [
    path("feeds/notices.rss", feeds.all_rss, name="notice_feed_rss"),
    path("feeds/notices.atom", feeds.all_atom, name="notice_feed_atom"),
    path("feeds/major.rss", feeds.major_rss, name="major_feed_rss"),
    path("feeds/major.atom", feeds.major_atom, name="major_feed_atom"),
    path("feeds/utility/<str:utility>.rss", feeds.utility_rss, name="utility_feed_rss"),
    path("feeds/utility/<str:utility>.atom", feeds.utility_atom, name="utility_feed_atom"),
    path("feeds/community/<slug:code>.rss", feeds.community_rss, name="community_feed_rss"),
    path("feeds/community/<slug:code>.atom", feeds.community_atom, name="community_feed_atom"),
    path("feeds/column/<slug:column>.rss", feeds.column_rss, name="column_feed_rss"),
    path("feeds/column/<slug:column>.atom", feeds.column_atom, name="column_feed_atom"),
    path("cap/notices/<int:notice_id>.xml", cap.notice_cap, name="notice_cap"),
    path("cap/index.atom", cap.cap_index, name="cap_index"),
    path("calendar/notices/<int:notice_id>.ics", calendar.notice_calendar, name="notice_ical"),
    path("calendar/community/<slug:code>.ics", calendar.community_calendar, name="community_ical"),
    path("api/notices/", api.notice_list, name="api_notice_list"),
    path("api/notices/<int:notice_id>/", api.notice_detail, name="api_notice_detail"),
]
