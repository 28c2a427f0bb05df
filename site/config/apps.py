from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Site-wide wiring that belongs to no content app: the django-q2 schedules."""

    name = "config"
    verbose_name = "站点配置"

    def ready(self):
        from config.schedules import register

        register()
