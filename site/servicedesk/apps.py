from django.apps import AppConfig


class ServiceDeskConfig(AppConfig):
    name = "servicedesk"
    verbose_name = "服务诉求"

    def ready(self):
        from contacts.extensions import register_community_section
        from servicedesk.sections import community_services_section
        from servicedesk.signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_community_section(community_services_section)
