from django.apps import AppConfig
from django.core.signals import setting_changed
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
        from core import csrf_secrets, fragments, memo, sites, translations

        sites.register_signal_handlers()
        translations.remember()
        csrf_secrets.install()
        setting_changed.connect(fragments.clear, dispatch_uid="fragments-setting-changed")
        setting_changed.connect(memo.forget_all, dispatch_uid="memos-setting-changed")
