from django.apps import AppConfig


class ServiceDeskConfig(AppConfig):
    name = "servicedesk"
    verbose_name = "服务诉求"

    def ready(self):
        from servicedesk.signal_handlers import register_signal_handlers

        register_signal_handlers()
