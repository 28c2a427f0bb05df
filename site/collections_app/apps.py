from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    """Collections (专题): pages that staff build in the admin as a saved query over the
    disclosure catalogue, each with its listing, RSS, Atom, iCalendar and JSON."""

    name = "collections_app"
    verbose_name = "专题集合"

    def ready(self):
        from collections_app.signal_handlers import register_signal_handlers

        register_signal_handlers()
