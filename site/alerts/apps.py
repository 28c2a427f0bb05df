from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "短信订阅与推送"

    def ready(self):
        from alerts.sections import community_subscribe_section, notice_subscribe_section
        from alerts.signal_handlers import register_signal_handlers
        from contacts.extensions import register_community_section
        from notices.extensions import register_notice_section

        register_signal_handlers()
        register_community_section(community_subscribe_section)
        register_notice_section(notice_subscribe_section)
