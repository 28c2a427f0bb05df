from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "停水停气停热通知"

    def ready(self):
        from contacts.extensions import register_community_section
        from notices.community_section import current_notices_section
        from notices.signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_community_section(current_notices_section)
