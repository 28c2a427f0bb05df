from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "短信订阅与推送"

    def ready(self):
        from alerts.signal_handlers import register_signal_handlers

        register_signal_handlers()
