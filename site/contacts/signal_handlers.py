"""Keep derived data in step with the directory: the cached facets and the cached responses
that show an entry (core.page_cache)."""

from django.db.models.signals import post_delete, post_save, pre_save

from contacts import cache_tags, facets
from contacts.models import Branch, Community, Station
from core import page_cache


def _forget_facets(**kwargs):
    facets.forget()


def _remember_old_code(sender, instance, **kwargs):
    """A renamed code leaves the old address: its cached page must go too."""
    instance._code_before = (
        Community.objects.filter(pk=instance.pk).values_list("code", flat=True).first()
        if instance.pk
        else None
    )


def _community_changed(sender, instance, **kwargs):
    codes = {instance.code, getattr(instance, "_code_before", None)} - {None}
    page_cache.invalidate(*cache_tags.communities_changed(codes))


def _station_changed(sender, instance, **kwargs):
    page_cache.invalidate(cache_tags.DIRECTORY, cache_tags.SEARCH, cache_tags.station(instance.pk))


def _branch_changed(sender, instance, **kwargs):
    page_cache.invalidate(cache_tags.DIRECTORY, cache_tags.branch(instance.pk))


def register_signal_handlers() -> None:
    for model in (Branch, Station, Community):
        for signal in (post_save, post_delete):
            signal.connect(_forget_facets, sender=model, dispatch_uid=f"facets-{model.__name__}")
    pre_save.connect(_remember_old_code, sender=Community, dispatch_uid="community-old-code")
    for signal in (post_save, post_delete):
        name = (signal is post_save and "saved") or "deleted"
        signal.connect(_community_changed, sender=Community, dispatch_uid=f"community-{name}")
        signal.connect(_station_changed, sender=Station, dispatch_uid=f"station-{name}")
        signal.connect(_branch_changed, sender=Branch, dispatch_uid=f"branch-{name}")
