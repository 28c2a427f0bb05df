"""Drop the cached responses (core.page_cache) that show what changed: the catalogue page's
figures when a catalogue record is saved or deleted, the profile when the organisation's name
or credit code is."""

from django.db.models.signals import post_delete, post_save

from catalogue.models import CatalogueItem, CatalogueSettings
from core import page_cache
from disclosure.models import SETTINGS_TAG
from disclosure.sections import CATALOGUE_TAG


def _catalogue_changed(**kwargs):
    page_cache.invalidate(CATALOGUE_TAG)


def _settings_changed(**kwargs):
    page_cache.invalidate(SETTINGS_TAG)


def register_signal_handlers() -> None:
    post_save.connect(_catalogue_changed, sender=CatalogueItem, dispatch_uid="disclosure-item")
    post_delete.connect(
        _catalogue_changed, sender=CatalogueItem, dispatch_uid="disclosure-item-deleted"
    )
    post_save.connect(
        _settings_changed, sender=CatalogueSettings, dispatch_uid="disclosure-settings"
    )
