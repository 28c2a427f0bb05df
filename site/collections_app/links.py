"""The addresses of a collection's machine channels, by the page's id (collections_app.urls)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.addresses import absolute_url

CHANNELS = (
    # URL name, media type, what a reader is told it is
    ("collection_feed_rss", "application/rss+xml", "RSS"),
    ("collection_feed_atom", "application/atom+xml", "Atom"),
    ("collection_ical", "text/calendar", _("日历（iCalendar）")),
    ("api_collection", "application/json", "JSON"),
)


def channel_links(page, request) -> list[tuple[str, str, str, str]]:
    """(URL name, media type, label, absolute address) of each channel of the collection."""
    return [
        (name, kind, label, absolute_url(reverse(name, args=(page.pk,)), request))
        for name, kind, label in CHANNELS
    ]
