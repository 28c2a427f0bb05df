"""The private sections of the site (pages with a view restriction, and everything below them),
which search results leave out. Their paths are cached, as every search page needs them and
they rarely change; signal_handlers drops the cache when a restriction or the tree changes."""

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import PageViewRestriction

CACHE_KEY = "search:private-paths"
CACHE_TIMEOUT = 60  # a change made in another process, with the local-memory cache


def private_q() -> Q:
    """Matches every private page; matches nothing when there is no restriction."""
    paths = cache.get(CACHE_KEY)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(CACHE_KEY, paths, CACHE_TIMEOUT)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def forget(**kwargs) -> None:
    cache.delete(CACHE_KEY)
