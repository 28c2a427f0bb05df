from django.db import transaction
from django.db.models.signals import pre_delete
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from catalogue.changes import sync_on_commit
from notices.cache_tags import invalidate_notice
from notices.lifecycle.signals import notice_published, notice_updated
from notices.lifecycle.transitions import advance_notice
from notices.models import OutageNoticePage


def on_notice_published(sender, instance, revision, **kwargs):
    """Wagtail also sends page_published when a revision is only scheduled for later: act only
    when this revision is really the live one."""
    notice = OutageNoticePage.objects.get(pk=instance.pk)
    if not notice.live or notice.live_revision_id != revision.pk:
        return
    now = timezone.now()
    first_time = notice.went_live_at is None
    changes = {"changed_at": now}
    if first_time:
        changes["went_live_at"] = now
    OutageNoticePage.objects.filter(pk=notice.pk).update(**changes)
    # A notice published after its start (an emergency, or a late go-live) starts at once.
    advance_notice(notice.pk, now)
    invalidate_notice(notice.pk)
    transaction.on_commit(
        lambda: notice_published.send(
            sender=OutageNoticePage, notice_id=notice.pk, first_time=first_time
        )
    )


def on_notice_withdrawn(sender, instance, **kwargs):
    """Unpublished or about to be deleted: out of every list, feed and community page."""
    invalidate_notice(instance.pk)


def on_notice_updated(sender, notice_id, **kwargs):
    """A timeline entry changes what the catalogue says of the notice (its state, its end)."""
    sync_on_commit(notice_id)


def register_signal_handlers() -> None:
    notice_updated.connect(on_notice_updated, dispatch_uid="notice-updated-catalogue")
    page_published.connect(
        on_notice_published, sender=OutageNoticePage, dispatch_uid="notice-published"
    )
    page_unpublished.connect(
        on_notice_withdrawn, sender=OutageNoticePage, dispatch_uid="notice-unpublished"
    )
    pre_delete.connect(on_notice_withdrawn, sender=OutageNoticePage, dispatch_uid="notice-deleted")
