from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = "热费计算"
