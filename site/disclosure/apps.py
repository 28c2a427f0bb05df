from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """The 信息公开 section of the site: the catalogue page, the columns' pages and the page types
    only the catalogue has (单位概况, 安全常识, 办事指南, ...), and the columns' review periods."""

    name = "disclosure"
    verbose_name = "信息公开"

    def ready(self):
        from disclosure.signal_handlers import register_signal_handlers

        register_signal_handlers()
