"""Queueing django-q2 tasks, and the site-wide jobs (django-q2)."""

import logging
from collections.abc import Callable

from django_q.tasks import async_task
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

logger = logging.getLogger(__name__)


def enqueue(func: Callable, *args, task_name: str, timeout: int | None = None) -> str | None:
    """Queue `func(*args)` without letting a broker outage (Redis down) fail what asked for it.

    What asks for a task has committed by then, and its work is either in the database, where a
    minute schedule picks it up once the broker is back (SMS messages, service-desk texts), or
    harmless to lose (a frontend purge, a WebSub ping: pages and feeds render from the
    database), so a failure is only logged. Any exception, since brokers raise their own kinds.
    `func` is the function itself, never its dotted path written as a string. `timeout`
    (seconds) replaces the cluster's for a task known to take longer (an import job)."""
    options = {"timeout": timeout} if timeout else {}
    try:
        return async_task(func, *args, task_name=task_name, **options)
    except Exception:
        logger.exception("Could not queue %s (%s)", task_name, func.__qualname__)
        return None


def dotted_path(func: Callable) -> str:
    """The importable path django-q2 stores for `func` (a schedule's `func` is a string), taken
    from the function itself so that it follows a rename or a move."""
    return f"{func.__module__}.{func.__qualname__}"


def purge_frontend_cache(urls: list[str]) -> None:
    """Ask the configured frontend caches to drop these addresses (core.page_cache). Purging
    twice is harmless, so a redelivered task needs no guard."""
    purge_urls_from_cache(urls)
