"""Drop the collections' cached responses an item of the catalogue could enter, once the
catalogue has recorded its change (collections_app.cache_tags)."""

from catalogue.models import CatalogueItem
from catalogue.signals import item_recorded
from collections_app.cache_tags import of_page
from core import page_cache


def on_item_recorded(sender, item, page, **kwargs):
    page_cache.invalidate(*of_page(page))


def register_signal_handlers() -> None:
    item_recorded.connect(on_item_recorded, sender=CatalogueItem, dispatch_uid="collections-item")
