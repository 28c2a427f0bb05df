from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from search.signal_handlers import register_signal_handlers

        register_signal_handlers()
