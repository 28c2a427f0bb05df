"""Drop the cached responses (core.page_cache) that show what changed: the profile when the
organisation's name or credit code is saved. (The catalogue's records invalidate the catalogue
page themselves: catalogue.changes.)"""

from django.db.models.signals import post_save

from catalogue.models import CatalogueSettings
from core import page_cache
from disclosure.models import SETTINGS_TAG


def _settings_changed(**kwargs):
    page_cache.invalidate(SETTINGS_TAG)


def register_signal_handlers() -> None:
    post_save.connect(
        _settings_changed, sender=CatalogueSettings, dispatch_uid="disclosure-settings"
    )
