from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "停水停气停热通知"

    def ready(self):
        from notices.signal_handlers import register_signal_handlers

        register_signal_handlers()
