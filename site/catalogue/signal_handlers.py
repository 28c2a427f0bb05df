"""Every way a page enters, changes in or leaves the catalogue ends in `changes.sync`, after the
transaction that changed it commits. Wagtail's page_published also fires for a revision that is
merely scheduled: sync reads the page itself, so a scheduled draft changes nothing."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue import changes
from catalogue.models import CatalogueSection, CatalogueSettings, DisclosedPage


def _affected(page) -> list[int]:
    ids = [page.pk] if isinstance(page, DisclosedPage) else []
    if isinstance(page, CatalogueSection):
        ids += changes.disclosed_descendants(page)
    return ids


def on_published(sender, instance, **kwargs):
    if ids := _affected(instance):
        changes.sync_on_commit(*ids)


def on_moved(sender, instance, **kwargs):
    specific = instance.specific
    ids = [specific.pk] if isinstance(specific, DisclosedPage) else []
    changes.sync_on_commit(*ids, *changes.disclosed_descendants(instance))


def on_deleted(sender, instance, **kwargs):
    """The row of a page type and the rows of its ancestors' tables each send post_delete:
    sync reads the outcome, so once is enough, and the last one suffices."""
    if isinstance(instance, DisclosedPage):
        changes.sync_on_commit(instance.pk)


def on_settings_saved(sender, instance, **kwargs):
    """The organisation's name is every item's default publisher."""
    from catalogue.tasks import queue_reconcile

    queue_reconcile()


def register_signal_handlers() -> None:
    page_published.connect(on_published, dispatch_uid="catalogue-published")
    page_unpublished.connect(on_published, dispatch_uid="catalogue-unpublished")
    post_page_move.connect(on_moved, dispatch_uid="catalogue-moved")
    post_delete.connect(on_deleted, dispatch_uid="catalogue-deleted")
    post_save.connect(on_settings_saved, sender=CatalogueSettings, dispatch_uid="catalogue-org")
