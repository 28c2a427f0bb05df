from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "联系名录"

    def ready(self):
        from contacts.signal_handlers import register_signal_handlers

        register_signal_handlers()
