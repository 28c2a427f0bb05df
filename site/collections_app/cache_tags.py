"""Which cached responses (core.page_cache) a collection's depend on, and what a change of an
item of the catalogue drops.

A collection's response carries:
- `page:<id>` of the collection (every page has it) and of each item it shows or ranks before
  them: an item that changes or leaves drops it (the catalogue and the page signals drop
  `page:<id>`);
- the tags of items that could enter it, from one criterion of its query (`subscription`): the
  most selective one set. Every item the query can select carries that criterion's facet, so any
  such item recorded by the catalogue (`catalogue.signals.item_recorded`, once its snapshot is
  written: the response is rendered from it) drops the response; items that cannot match do not.
- `directory` when it names places: a community moved to another station changes what a
  station covers.

Facets an item carries (`of_page`): its page type; a notice's utility and, for each community it
affects, the community, its station and the station's branch. Columns use the catalogue's own
`catalogue:<column>` tags, and a query with no criterion the catalogue's `catalogue`."""

from catalogue.cache_tags import CATALOGUE, column_tag
from collections_app.query import NOTICE_TYPE, CollectionQuery
from contacts.cache_tags import DIRECTORY
from contacts.models import Community
from core import page_cache
from notices.models import OutageNoticePage


def facet(kind: str, value) -> str:
    return f"collection-facet:{kind}:{value}"


def page(page_id: int) -> str:
    return page_cache.page_tag(page_id)


def of_page(page) -> list[str]:
    """What recording a change of this page's item drops (None: a deleted page, whose item
    leaves only the responses that showed it, which carry its `page:<id>`)."""
    if page is None:
        return []
    tags = {facet("type", page._meta.label_lower)}
    if isinstance(page, OutageNoticePage):
        tags.add(facet("utility", page.utility))
        affected = Community.objects.filter(outage_notices=page.pk).values_list(
            "pk", "station_id", "station__branch_id"
        )
        for community, station, branch in affected:
            tags |= {facet("community", community), facet("station", station)}
            if branch:
                tags.add(facet("branch", branch))
    return sorted(tags)


def subscription(query: CollectionQuery) -> list[str]:
    """The tags of the items that could enter the collection (see the module's docstring)."""
    if query.places:
        return [*(facet(place.kind, place.pk) for place in query.places), DIRECTORY]
    if query.utilities:
        return [facet("utility", utility) for utility in query.utilities]
    if query.notices_only:
        return [facet("type", NOTICE_TYPE)]
    if query.page_types:
        return [facet("type", label) for label in query.page_types]
    if query.columns:
        return [column_tag(column) for column in query.columns]
    return [CATALOGUE]
