"""An item as the portal receives it, from the catalogue's record: the snapshot with absolute
addresses, its GUID and what replaces it. Shared by the change API and the exports, so both
say the same as the feeds."""

from django.db.models import Q
from django.db.models.fields.json import KT

from catalogue.columns import Column
from catalogue.feeds import item_guid
from catalogue.models import CatalogueItem
from core.addresses import absolute_url


def replacements(snapshots) -> dict[int, dict]:
    """{page id: {index_number, url}} of the pages these items name as their replacement.

    The path is read with `KT`, not as `"snapshot__path"`: resolving that name, Django raises
    and keeps a FieldError whose traceback holds the caller's frames (the export's chunk of
    snapshots, the change API's page) in a reference cycle, left to the garbage collector's
    rare full passes: the exports' memory then grew with the items (benchmarks/catalogue.py)."""
    wanted = {s.get("replaced_by_page") for s in snapshots} - {None}
    if not wanted:
        return {}
    found = CatalogueItem.objects.filter(page_id__in=wanted).values_list(
        "page_id", "index_number", KT("snapshot__path")
    )
    return {page_id: {"index_number": number, "path": path} for page_id, number, path in found}


def index_box(page, request) -> dict | None:
    """The 信息索引 box of a page in the catalogue (None outside it): one query, two when the
    item names what replaces it."""
    # Repealed items left the catalogue's lists but still show their index on the page.
    shown = Q(in_catalogue=True) | Q(withdrawn_reason="repealed")
    item = CatalogueItem.objects.filter(shown, page_id=page.pk).first()
    if item is None:
        return None
    return public(item.snapshot, request, replacements([item.snapshot]))


def public(snapshot: dict, request, replaced: dict[int, dict]) -> dict:
    item = {
        key: value for key, value in snapshot.items() if key not in ("path", "replaced_by_page")
    }
    item["id"] = item_guid(request, snapshot)
    item["column_label"] = str(Column(snapshot["column"]).label)
    item["url"] = absolute_url(snapshot["path"], request) if snapshot.get("path") else None
    replacement = replaced.get(snapshot.get("replaced_by_page"))
    item["replaced_by"] = (
        {
            "index_number": replacement["index_number"],
            "url": absolute_url(replacement["path"], request) if replacement["path"] else None,
        }
        if replacement
        else None
    )
    return item
