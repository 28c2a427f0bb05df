"""Drop the cached site chrome when what it shows changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.chrome import forget_all
from home.models import SiteSettings


def _forget_chrome(**kwargs):
    forget_all()


def register_signal_handlers() -> None:
    post_save.connect(_forget_chrome, sender=SiteSettings, dispatch_uid="chrome-settings-saved")
    page_published.connect(_forget_chrome, dispatch_uid="chrome-page-published")
    page_unpublished.connect(_forget_chrome, dispatch_uid="chrome-page-unpublished")
    page_slug_changed.connect(_forget_chrome, dispatch_uid="chrome-page-slug")
    post_page_move.connect(_forget_chrome, dispatch_uid="chrome-page-moved")
    post_delete.connect(_forget_chrome, sender=Page, dispatch_uid="chrome-page-deleted")
