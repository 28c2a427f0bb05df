"""The catalogue's background work (django-q2)."""

from wagtail.models import Page

from catalogue import changes, metadata
from catalogue.models import CatalogueItem
from core.tasks import enqueue


def reconcile() -> int:
    """Sync every disclosed page and every item still in the catalogue: catches what a change
    of the site's defaults touched, and anything a process that died between a page's commit
    and its sync left behind. Idempotent: returns the number of changes recorded."""
    settings = metadata.site_settings()
    page_ids = set(Page.objects.type(*changes.disclosed_models()).values_list("pk", flat=True))
    page_ids |= set(
        CatalogueItem.objects.filter(in_catalogue=True).values_list("page_id", flat=True)
    )
    return sum(1 for page_id in sorted(page_ids) if changes.sync(page_id, settings))


def queue_reconcile() -> None:
    enqueue(reconcile, task_name="catalogue-reconcile")
