from django.apps import AppConfig
from django.urls import register_converter

from core.converters import IdConverter
from core.task_signing import honour_key_fallbacks


class CoreConfig(AppConfig):
    """The site-wide plumbing: page cache, rate limits, Chinese formatting, conditional GET,
    feed helpers, CSV safety, task queueing, the base page and the URL converters."""

    name = "core"

    def ready(self):
        register_converter(IdConverter, "id")
        honour_key_fallbacks()
        from core import sites

        sites.register_signal_handlers()
