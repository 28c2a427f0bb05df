from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.search import index
from wagtail.signals import page_published, post_page_move

from chinese_text import segmentation
from commitments.models import CommitmentPage
from contacts.models import Station
from notices.models import OutageNoticePage
from search import private_sections


def _station_saved(instance, **kwargs):
    segmentation.add_names([instance.name, instance.office_address])


def _reindex_published(instance, **kwargs):
    """Wagtail indexes a page when its row is saved, before the page's child rows (commitments)
    and many-to-many links (affected communities) are written: index it again once they are."""
    index.insert_or_update_object(instance)


def register_signal_handlers() -> None:
    post_save.connect(_station_saved, sender=Station, dispatch_uid="search-station-names")
    for model in (CommitmentPage, OutageNoticePage):
        page_published.connect(
            _reindex_published, sender=model, dispatch_uid=f"search-reindex-{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            private_sections.forget,
            sender=PageViewRestriction,
            dispatch_uid=f"search-private-{signal is post_save}",
        )
    post_page_move.connect(private_sections.forget, dispatch_uid="search-private-moved")
