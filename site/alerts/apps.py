from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Which notice events are sent is for content rules (the rules app) to say: alerts writes
    and delivers the messages they ask for (alerts.outbox)."""

    name = "alerts"
    verbose_name = "短信订阅与推送"
