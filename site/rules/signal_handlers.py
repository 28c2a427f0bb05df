"""Rules listen to what notices and the catalogue announce (neither knows of rules)."""

from catalogue.signals import catalogue_changed
from notices.lifecycle.signals import notice_published, notice_updated
from rules import events


def on_notice_published(sender, notice_id, first_time, **kwargs):
    events.on_notice_published(notice_id, first_time)


def on_notice_updated(sender, notice_id, update_id, was_major, **kwargs):
    events.on_notice_updated(notice_id, update_id, was_major)


def on_catalogue_changed(sender, change_id, **kwargs):
    events.on_catalogue_changed(change_id)


def register_signal_handlers() -> None:
    notice_published.connect(on_notice_published, dispatch_uid="rules-notice-published")
    notice_updated.connect(on_notice_updated, dispatch_uid="rules-notice-updated")
    catalogue_changed.connect(on_catalogue_changed, dispatch_uid="rules-catalogue-changed")
