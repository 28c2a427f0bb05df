"""Drop what a change makes stale: the cached site chrome (only when settings, a Site or the
sections it lists change) and the cached responses that show a published page (core.page_cache)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core import page_cache
from home.chrome import SECTION_DEPTH, forget_all
from home.models import SiteSettings


def _forget_chrome(**kwargs):
    forget_all()


def page_tags(page) -> set[str]:
    """A page's own responses, its parent's (index pages list their children), every page of
    its type (disclosure column feeds) and search results."""
    tags = {
        page_cache.page_tag(page.pk),
        f"type:{page.specific_class._meta.label_lower}",
        page_cache.SEARCH,
    }
    parent_path = page.path[: -page.steplen] if page.depth > 1 else ""
    if parent_path:
        parent_id = Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
        tags.add(page_cache.page_tag(parent_id))
    return tags


def _page_changed(sender, instance, **kwargs):
    page_cache.invalidate(*page_tags(instance))
    if instance.depth <= SECTION_DEPTH:
        forget_all()


def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    page_cache.invalidate(
        *page_tags(instance),
        page_cache.page_tag(parent_page_before.pk),
        page_cache.page_tag(parent_page_after.pk),
    )
    if instance.depth <= SECTION_DEPTH or parent_page_before.depth < SECTION_DEPTH:
        forget_all()


def register_signal_handlers() -> None:
    post_save.connect(_forget_chrome, sender=SiteSettings, dispatch_uid="chrome-settings-saved")
    post_save.connect(_forget_chrome, sender=Site, dispatch_uid="chrome-site-saved")
    post_delete.connect(_forget_chrome, sender=Site, dispatch_uid="chrome-site-deleted")
    page_published.connect(_page_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="page-cache-unpublished")
    page_slug_changed.connect(_page_changed, dispatch_uid="page-cache-slug")
    post_page_move.connect(_page_moved, dispatch_uid="page-cache-moved")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="page-cache-deleted")
