"""Catalogue records for the disclosure tests, written directly: the code that keeps them in
step with the pages (catalogue) is not what these tests are about."""

import itertools
from datetime import datetime

from django.utils import timezone

from catalogue.models import CatalogueChange, CatalogueItem, ChangeAction

_numbers = itertools.count(900_000)


def at(value: str) -> datetime:
    """ "2026-09-24 15:00" in China time."""
    return timezone.make_aware(datetime.fromisoformat(value))


def make_item(column: str, updated_at: str, *, in_catalogue: bool = True) -> CatalogueItem:
    number = next(_numbers)
    return CatalogueItem.objects.create(
        page_id=number,
        index_number=f"TEST/{column}-{number}",
        column=column,
        in_catalogue=in_catalogue,
        updated_at=at(updated_at),
    )


def make_change(item: CatalogueItem, when: str, action=ChangeAction.UPDATED) -> CatalogueChange:
    return CatalogueChange.objects.create(
        sequence=next(_numbers), item=item, action=action, at=at(when)
    )
