from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Figures computed from the records: the yearly 信息公开工作年度报告 and the heating
    season's quality page."""

    name = "reports"
    verbose_name = "年度报告与供热质量"

    def ready(self):
        from reports.signal_handlers import register_signal_handlers

        register_signal_handlers()
