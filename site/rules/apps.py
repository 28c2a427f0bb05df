from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("内容规则")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rules.signal_handlers import register_signal_handlers

        register_signal_handlers()
