from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site-wide plumbing: page cache, rate limits, Chinese formatting, conditional GET,
    feed helpers, CSV safety, task queueing and the base page. An app for its templates only."""

    name = "core"
