from django.db.models.signals import post_delete, post_save

from contacts import facets
from contacts.models import Branch, Community, Station


def _forget_facets(**kwargs):
    facets.forget()


def register_signal_handlers() -> None:
    for model in (Branch, Station, Community):
        for signal in (post_save, post_delete):
            signal.connect(_forget_facets, sender=model, dispatch_uid=f"facets-{model.__name__}")
