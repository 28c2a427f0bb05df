from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The disclosure catalogue's knowledge in one place: its columns, the metadata every
    disclosed page carries (索引号 and the rest), the record of every change the portal mirrors,
    and the feeds, change API and exports it pulls."""

    name = "catalogue"
    verbose_name = "信息公开目录"

    def ready(self):
        from catalogue.signal_handlers import register_signal_handlers

        register_signal_handlers()
