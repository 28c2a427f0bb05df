"""Background jobs of the home app (django-q2)."""

from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache


def purge_frontend_cache(urls: list[str]) -> None:
    """Ask the configured frontend caches to drop these addresses (home.page_cache). Purging
    twice is harmless, so a redelivered task needs no guard."""
    purge_urls_from_cache(urls)
