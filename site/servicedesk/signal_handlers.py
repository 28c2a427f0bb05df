"""Every station gets its service team group the moment it exists (and keeps its name)."""

from django.db.models.signals import post_save

from contacts.models import Station


def station_saved(sender, instance: Station, raw=False, **kwargs):
    if raw:  # loaddata
        return
    from servicedesk.routing import ensure_desk

    ensure_desk(instance)


def register_signal_handlers() -> None:
    post_save.connect(station_saved, sender=Station, dispatch_uid="servicedesk-station-desk")
