"""A collection's machine channels: RSS 2.0 and Atom (the catalogue's column feeds, with the
catalogue metadata: collections_app holds items of any column), iCalendar (the notices' events)
and JSON (each item as the change API and the exports give it). Each carries the first
FEED_SIZE items, most recently changed first, answers a conditional GET from one aggregate
query, and is cached no longer than its window stays the same days."""

import json

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from catalogue.feeds import CatalogueAtom, ColumnFeed
from catalogue.metadata import site_settings
from catalogue.records import public, replacements
from collections_app.links import channel_links
from collections_app.models import CollectionPage
from collections_app.reading import reading
from core.addresses import base_url, page_url
from core.conditional import CACHE_CONTROL, conditional, fingerprint
from core.feeds import SiteFeed, tag_uri
from notices.channels import calendar
from notices.models import OutageNoticePage
from notices.queries import notices_for_display

FEED_SIZE = 50


class CollectionFeed(ColumnFeed):
    """A column feed whose items are the collection's (no tombstones: a withdrawn item simply
    leaves, as from the notices' feeds)."""

    def get_object(self, request, page):
        return page

    def title(self, page):
        return page.title

    def feed_guid(self, page):
        return tag_uri(self.request, "feed", f"collection-{page.pk}")

    def description(self, page):
        return page.search_description or reading(self.request, page).query.describe()

    subtitle = description

    def author_name(self, page):
        return site_settings().organisation or SiteFeed.author_name(self)

    def link(self, page):
        return page_url(page, self.request)

    def items(self, page):
        return self.with_replacements(reading(self.request, page).first(FEED_SIZE))


class AtomCollectionFeed(CollectionFeed):
    feed_type = CatalogueAtom


def calendar_view(request, page):
    """The notices among the collection's items, one VEVENT each (the notices' own events)."""
    ids = reading(request, page).first_ids(FEED_SIZE)
    notices = OutageNoticePage.objects.live().filter(pk__in=ids).order_by("starts_at", "pk")
    return calendar.calendar_response(
        page.title, notices_for_display(notices), request, f"collection-{page.pk}.ics"
    )


def json_view(request, page):
    current = reading(request, page)
    items = current.first(FEED_SIZE)
    replaced = replacements(item.snapshot for item in items)
    body = {
        "id": tag_uri(request, "collection", page.pk),
        "title": page.title,
        "url": page_url(page, request),
        "description": current.query.describe(),
        "criteria": current.query.as_json(current.days),
        "links": {name: url for name, _kind, _label, url in channel_links(page, request)},
        "items": [public(item.snapshot, request, replaced) for item in items],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _collection(collection_id: int) -> CollectionPage:
    page = CollectionPage.objects.live().filter(pk=collection_id).first()
    if page is None:
        raise Http404
    return page


def _channel(name: str, view, cache_control: str = CACHE_CONTROL):
    """`view(request, page)` for the live collection `collection_id`, answering conditional
    GETs, its max-age never past the moment its window moves on."""

    def compute(request, page):
        # The links are built from the base address; the title and criteria change with each
        # publication of the collection; the window's days may change while nothing else does.
        current = reading(request, page)
        key = f"{base_url(request)}:collection-{page.pk}:{name}:{page.last_published_at}"
        return fingerprint(current.items, "updated_at", f"{key}:{current.days}")

    answer = conditional(compute, cache_control)(view)

    @require_safe
    def serve(request, collection_id):
        page = _collection(collection_id)
        response = answer(request, page=page)
        seconds = reading(request, page).seconds_left()
        if seconds is not None:
            patch_cache_control(response, max_age=seconds)  # the smaller max-age is kept
        return response

    return serve


rss = _channel("rss", CollectionFeed())
atom = _channel("atom", AtomCollectionFeed())
ical = _channel("ical", calendar_view, calendar.CACHE_CONTROL)
items_json = _channel("json", json_view)
