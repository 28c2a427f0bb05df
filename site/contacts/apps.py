from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "联系名录"

    def ready(self):
        from contacts.my_community import my_community_section
        from contacts.signal_handlers import register_signal_handlers
        from home.extensions import register_home_section

        register_signal_handlers()
        register_home_section(my_community_section)
