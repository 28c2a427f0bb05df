"""One request's reading of a collection: its query, the instant it is read at and the window's
days then, shared by the conditional-GET fingerprint and the response. Reading tags the response
with what it depends on (collections_app.cache_tags) and keeps it in the page cache no longer
than the window stays the same days."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import QuerySet
from django.utils import timezone

from collections_app import cache_tags, windows
from collections_app.query import CollectionQuery
from collections_app.windows import Span
from core import page_cache

_ATTRIBUTE = "_collection_reading"


@dataclass
class Reading:
    request: object
    query: CollectionQuery
    now: datetime

    @cached_property
    def days(self) -> Span | None:
        return windows.span(self.query.window, self.now)

    @cached_property
    def items(self) -> QuerySet:
        return self.query.items(self.now)

    def seconds_left(self) -> int | None:
        """Until the window moves on; None when it never does (全部)."""
        if self.days is None:
            return None
        return max(0, int((self.days.moves_at - timezone.now()).total_seconds()))

    def first(self, count: int) -> list:
        """The first `count` items, the response tagged with each."""
        found = list(self.items[:count])
        self._shows(item.page_id for item in found)
        return found

    def first_ids(self, count: int) -> list[int]:
        found = list(self.items.values_list("page_id", flat=True)[:count])
        self._shows(found)
        return found

    def page(self, number: int, size: int) -> tuple[list, bool]:
        """Page `number` (from 1) of `size` items, and whether there is a next one. The items
        ranked before the page are tagged too: one that leaves moves the page's items up."""
        before = (number - 1) * size
        found = list(self.items[before : before + size + 1])
        earlier = self.first_ids(before) if before else []
        self._shows([*earlier, *(item.page_id for item in found)])
        return found[:size], len(found) > size

    def _shows(self, page_ids) -> None:
        page_cache.tag(self.request, *(cache_tags.page(page_id) for page_id in page_ids))


def reading(request, page) -> Reading:
    """The request's reading of `page`, made once (the fingerprint and the view both ask)."""
    readings = request.__dict__.setdefault(_ATTRIBUTE, {})
    if page.pk not in readings:
        found = Reading(request, CollectionQuery.of(page), timezone.now())
        page_cache.tag(request, *cache_tags.subscription(found.query))
        if found.days is not None:
            page_cache.expires_at(request, found.days.moves_at)
        readings[page.pk] = found
    return readings[page.pk]
