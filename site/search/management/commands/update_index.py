"""Wagtail's update_index, and then the cached search pages are dropped (core.page_cache): a
rebuilt index can answer differently, though no content changed."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from core import page_cache


class Command(WagtailUpdateIndex):
    def handle(self, **options):
        super().handle(**options)
        page_cache.invalidate(page_cache.SEARCH)
