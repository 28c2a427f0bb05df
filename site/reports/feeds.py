"""RSS 2.0 and Atom feeds of a season's closed months (`<season page>months.rss`, `.atom`): one
item per month, added once the month is over and its figures are stored (reports.tasks).

The GUID is a tag URI from the record's id, never the URL, so a moved or renamed page does not
make old months new items; the figures of a closed month never change, so neither does its
item. Conditional GET answers an unchanged feed with 304 from one aggregate query."""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.addresses import page_url
from core.feeds import SiteFeed, tag_uri
from home.models import SiteSettings
from reports.periods import month_label
from reports.presentation import season_summary

FEED_SIZE = 24  # four seasons of months


class MonthsFeed(SiteFeed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, page):
        return page

    def title(self, page):
        return _("%s：月度数据") % page.title

    def description(self, page):
        return _(
            "供热期内每月的室温达标率、停供时长和服务诉求按时联系、按时办结情况，每月结束后发布。"
        )

    subtitle = description

    def author_name(self, page):
        """Atom wants an author (RFC 4287 4.1.1): the company publishing the figures."""
        return SiteSettings.for_request(self.request).company_name or page.title

    def feed_guid(self, page):
        return tag_uri(self.request, "feed", f"season-{page.pk}-months")

    def link(self, page):
        return page_url(page, self.request)

    def items(self, page):
        return page.closed_month_records()[:FEED_SIZE]

    def item_title(self, record):
        return _("%s供热质量") % month_label(record.month)

    def item_description(self, record):
        return escape(season_summary(record.month_figures()))  # HTML to readers

    def item_link(self, record):
        return f"{page_url(record.season, self.request)}#month-{record.month:%Y-%m}"

    def item_guid(self, record):
        return tag_uri(self.request, "season-month", record.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, record):
        return record.closed_at

    def item_updateddate(self, record):
        return record.closed_at


class AtomMonthsFeed(MonthsFeed):
    feed_type = Atom1Feed
