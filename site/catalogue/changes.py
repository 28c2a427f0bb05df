"""Keeping the catalogue's records in step with the pages, and numbering every change.

`sync(page_id)` compares what the page is now (live, disclosed, under a column's section, not
repealed) with what was last announced for it, and when they differ records one change:
created (also when an item comes back), updated, or withdrawn with its reason. It runs after
the page's own transaction commits (signal_handlers), in a transaction of its own, so it reads
the committed page, whatever order other handlers of the same signal ran in; running it twice
records nothing the second time.

Why the cursor never skips a change: every sync first locks the one `CatalogueSequence` row
and holds it until it commits. Two syncs therefore never overlap, and the change numbered n+1
is committed after the one numbered n: a mirror that has read every change up to n and asks
for those after n can only be missing changes that are not committed yet, which will be
numbered above n. (A plain auto-increment id would not do: ids are taken at insert, and a
transaction holding id 10 may commit after the one holding id 11 has been read.)
"""

import logging
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from catalogue import metadata
from catalogue.cache_tags import CATALOGUE, column_tag
from catalogue.enums import Validity
from catalogue.index_numbers import next_index_number
from catalogue.models import (
    CatalogueChange,
    CatalogueItem,
    CatalogueSection,
    CatalogueSequence,
    ChangeAction,
    DisclosedPage,
)
from catalogue.signals import catalogue_changed, item_recorded
from core import page_cache

logger = logging.getLogger(__name__)


class Reason:
    """Why an item left the catalogue (the `reason` of a withdrawal, docs/feeds.md)."""

    UNPUBLISHED = "unpublished"
    DELETED = "deleted"
    MOVED = "moved"
    REPEALED = "repealed"


def section_models() -> list[type[Page]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, CatalogueSection)
    ]


def column_of(page: Page) -> str | None:
    """The column of the nearest section at or above the page: None when no section holds it
    (it was moved out of the catalogue)."""
    sections = (
        Page.objects.ancestor_of(page, inclusive=True)
        .type(*section_models())
        .order_by("-depth")
        .specific()
    )
    for section in sections:
        if section.catalogue_column:
            return section.catalogue_column
    return None


def _state(page_id: int) -> tuple[Page | None, str | None, str]:
    """(page, column, reason): the page and its column when it belongs in the catalogue now,
    else the reason it does not."""
    page = Page.objects.filter(pk=page_id).specific().first()
    if page is None:
        return None, None, Reason.DELETED
    if not isinstance(page, DisclosedPage):
        return page, None, Reason.MOVED
    if not page.live:
        return page, None, Reason.UNPUBLISHED
    column = column_of(page)
    if column is None:
        return page, None, Reason.MOVED
    if page.validity == Validity.REPEALED:
        return page, column, Reason.REPEALED
    return page, column, ""


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def snapshot(page: DisclosedPage, column: str, index_number: str, settings) -> dict:
    """Everything the feeds and the change API say about an item, JSON-ready."""
    parts = page.get_url_parts()
    return {
        "index_number": index_number,
        "page_id": page.pk,
        "column": column,
        "title": page.title,
        "path": parts[2] if parts else None,
        "summary": page.catalogue_summary(),
        "first_published_at": _iso(page.first_published_at),
        "updated_at": _iso(page.catalogue_updated_at()),
        **metadata.effective(page, column, settings),
        "extra": page.catalogue_extra(),
    }


def _same(state: dict, announced: dict) -> bool:
    """Nothing a reader would see has changed (a page republished as it was only moves its
    publication time)."""
    return {**state, "updated_at": None} == {**announced, "updated_at": None}


def _take_sequence() -> int:
    CatalogueSequence.objects.filter(pk=1).update(last=F("last") + 1)
    return CatalogueSequence.objects.get(pk=1).last


def _record(
    item: CatalogueItem, action: str, reason: str, now, was: str, page: Page | None
) -> CatalogueChange:
    """Number and store one change; `was` is the item's column before it (it may have moved),
    `page` the page as it is now (None once deleted), for the listeners of `item_recorded`."""
    page_cache.invalidate(
        CATALOGUE, column_tag(was), column_tag(item.column), page_cache.page_tag(item.page_id)
    )
    sequence = _take_sequence()
    item.last_change = sequence
    item.updated_at = now
    item.save()
    change = CatalogueChange.objects.create(
        sequence=sequence, item=item, action=action, reason=reason, at=now, snapshot=item.snapshot
    )
    item_recorded.send(sender=CatalogueItem, item=item, page=page)
    transaction.on_commit(
        lambda: catalogue_changed.send(sender=CatalogueChange, change_id=change.pk)
    )
    return change


@transaction.atomic
def sync(page_id: int, settings=None) -> CatalogueChange | None:
    """Record the page's change, if it has one (see the module's docstring)."""
    # The lock comes first: the comparison below reads what the last sync committed.
    CatalogueSequence.objects.select_for_update().get(pk=1)
    page, column, reason = _state(page_id)
    item = CatalogueItem.objects.filter(page_id=page_id).first()
    now = timezone.now()
    if reason:
        if item is None or not item.in_catalogue:
            return None
        item.in_catalogue, item.withdrawn_reason = False, reason
        if column:  # repealed: the portal learns its new validity with the withdrawal
            item.snapshot = snapshot(page, column, item.index_number, settings or _settings())
        return _record(item, ChangeAction.WITHDRAWN, reason, now, item.column, page)
    settings = settings or _settings()
    if item is None:
        year = timezone.localdate(page.first_published_at or now).year
        number = next_index_number(column, year, settings.credit_code)
        item = CatalogueItem(page_id=page_id, index_number=number, column=column)
        item.snapshot = snapshot(page, column, number, settings)
        item.in_catalogue = True
        return _record(item, ChangeAction.CREATED, "", now, column, page)
    state = snapshot(page, column, item.index_number, settings)
    if item.in_catalogue and _same(state, item.snapshot):
        return None
    action = ChangeAction.UPDATED if item.in_catalogue else ChangeAction.CREATED
    was = item.column
    item.snapshot, item.column, item.in_catalogue, item.withdrawn_reason = state, column, True, ""
    return _record(item, action, "", now, was, page)


def _settings():
    return metadata.site_settings()


def sync_on_commit(*page_ids: int) -> None:
    """Sync the pages once the current transaction has committed (at once outside one)."""

    def run():
        settings = _settings()
        for page_id in page_ids:
            sync(page_id, settings)

    transaction.on_commit(run)


def disclosed_models() -> list[type[Page]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, DisclosedPage)
    ]


def disclosed_descendants(page: Page) -> list[int]:
    """Pages under a section whose column or address may have changed with it."""
    found = Page.objects.descendant_of(page).type(*disclosed_models())
    return list(found.values_list("pk", flat=True))
