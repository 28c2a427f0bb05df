"""RSS 2.0 and Atom feeds of the monthly compliance figures: one item per month with the
company's figures, linking to the month's page.

The GUID is built from the month (a tag URI), never the URL, so a month whose figures change
(its requests are still being handled) is the same item with a new date (the time its figures
were computed), not a new one. Conditional GET answers an unchanged feed with 304."""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.addresses import absolute_url, base_url
from core.conditional import conditional, fingerprint
from core.feeds import SiteFeed, tag_uri
from servicedesk.compliance_views import median_label, month_label, percent
from servicedesk.models import ComplianceFigure

FEED_SIZE = 24  # two years of months


def company_figures():
    return ComplianceFigure.objects.filter(station=None)


def summary(figure: ComplianceFigure) -> str:
    """The company's month in one sentence, plain text."""
    return _(
        "受理%(received)d件；按时办结率%(in_time)s（应办结%(due)d件，按时办结%(closed_in_time)d件）；"
        "首次联系用时中位数%(median)s；超时未办结%(open_overdue)d件；"
        "满意率%(satisfaction)s（评价%(ratings)d条）。"
    ) % {
        "received": figure.received,
        "in_time": percent(figure.in_time_rate),
        "due": figure.due,
        "closed_in_time": figure.closed_in_time,
        "median": median_label(figure.median_contact_minutes),
        "open_overdue": figure.open_overdue,
        "satisfaction": percent(figure.satisfaction_rate),
        "ratings": figure.ratings,
    }


class ComplianceFeed(SiteFeed):
    feed_type = Rss201rev2Feed

    def title(self):
        return _("服务诉求办理情况")

    def description(self):
        return _("每月各供热站受理、按时办结、首次联系用时、超时未办结和满意度的统计，全公司合计。")

    subtitle = description

    def feed_guid(self):
        return tag_uri(self.request, "feed", "servicedesk-compliance")

    def link(self):
        return absolute_url(reverse("servicedesk_compliance"), self.request)

    def items(self):
        return company_figures().order_by("-month")[:FEED_SIZE]

    def item_title(self, figure):
        return _("%s服务诉求办理情况") % month_label(figure.month)

    def item_description(self, figure):
        return escape(summary(figure))  # RSS description and Atom summary are HTML to readers

    def item_link(self, figure):
        return absolute_url(
            reverse("servicedesk_compliance_month", args=[figure.month]), self.request
        )

    def item_guid(self, figure):
        return tag_uri(self.request, "servicedesk-compliance", f"{figure.month:%Y-%m}")

    item_guid_is_permalink = False

    def item_pubdate(self, figure):
        return figure.computed_at

    def item_updateddate(self, figure):
        return figure.computed_at


class AtomComplianceFeed(ComplianceFeed):
    feed_type = Atom1Feed


def _stats(request):
    # The base address is in the key: the links and GUIDs are built from it.
    return fingerprint(
        company_figures(), "computed_at", f"{base_url(request)}:servicedesk-compliance"
    )


compliance_rss = conditional(_stats)(ComplianceFeed())
compliance_atom = conditional(_stats)(AtomComplianceFeed())
