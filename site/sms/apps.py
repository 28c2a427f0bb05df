from django.apps import AppConfig


class SmsConfig(AppConfig):
    """The SMS gateway every feature texts through: backends, mobile numbers, verification
    codes and their budget per number. Imports no app."""

    name = "sms"
    verbose_name = "短信"
