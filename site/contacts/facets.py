"""What the directory page shows beside the communities themselves (the districts to filter by,
the stations and branches tables): small, read on every directory view, changed rarely, so
cached and dropped by contacts.signal_handlers when a branch, station or community changes."""

from django.core.cache import cache

from contacts.models import Branch, Community, Station

CACHE_KEY = "directory-facets"
FACETS_TIMEOUT = 60


def directory_facets() -> dict:
    facets = cache.get(CACHE_KEY)
    if facets is None:
        facets = _build()
        cache.set(CACHE_KEY, facets, FACETS_TIMEOUT)
    return facets


def forget() -> None:
    cache.delete(CACHE_KEY)


def _build() -> dict:
    return {
        "districts": list(
            Community.objects.order_by("district").values_list("district", flat=True).distinct()
        ),
        "stations": list(
            Station.objects.order_by("name").values(
                "name", "office_address", "phone", "branch__name"
            )
        ),
        "branches": list(Branch.objects.values("name", "address", "phone", "business_hours")),
    }
