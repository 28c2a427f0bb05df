"""Fixed-window rate limits for the public forms, counted in the database.

Every public view that accepts POST is limited per client IP, with a number per form
(docs/security.md lists them; tests/security/test_endpoints.py proves each); forms that take a
phone number are limited per number as well (sms.verification).

Windows are aligned to the clock (an hour's window is the clock hour), so a refusal can say
exactly when the window ends (`Retry-After`). Each attempt is one upsert that counts it and
returns the count (`core.RateCounter`): exact whatever the number of processes, and the same
on SQLite and PostgreSQL, whatever the cache (tests/core/test_ratelimit_exact.py)."""

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from core.models import RateCounter

# One statement counts the attempt and returns the count, on SQLite (≥ 3.35) and PostgreSQL
# alike; a new window starts the count again at 1. core_ratecounter is RateCounter's table.
UPSERT = """
    INSERT INTO core_ratecounter (scope_key, window_end, hits) VALUES (%s, %s, 1)
    ON CONFLICT (scope_key) DO UPDATE SET
        hits = CASE WHEN core_ratecounter.window_end = excluded.window_end
                    THEN core_ratecounter.hits + 1 ELSE 1 END,
        window_end = excluded.window_end
    RETURNING hits
"""


def scope_key(scope: str, key: str) -> str:
    """The counter's key: the scope and a hash of the key (an address, a phone number)."""
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()[:24]}"


def count(scope: str, key: str, window: int) -> tuple[int, int]:
    """Count one hit for (scope, key) in the current `window`-second window: the hits so far in
    this window, this one included, and the seconds until the window ends.

    The counter's row stays locked until the transaction around the call ends (PostgreSQL's row
    lock; on SQLite the IMMEDIATE transaction holds the database's write lock from its start),
    so inside `transaction.atomic()` a call also serialises what follows it for the same key."""
    now = timezone.now().timestamp()
    window_end = (math.floor(now / window) + 1) * window
    with connection.cursor() as cursor:  # one statement: atomic on its own
        cursor.execute(UPSERT, [scope_key(scope, key), window_end])
        (hits,) = cursor.fetchone()
    return hits, max(1, math.ceil(window_end - now))


def attempt(scope: str, key: str, limit: int, window: int) -> int:
    """Count one attempt for (scope, key): 0 while at most `limit` fell in the current window,
    else the seconds until the window ends (the `Retry-After` of the refusal). Call it outside
    the view's own transaction, so that an attempt stays counted whatever the view does."""
    hits, remaining = count(scope, key, window)
    return 0 if hits <= limit else remaining


def purge_counters() -> int:
    """Daily: counters whose window has ended (the next attempt would start them again)."""
    return RateCounter.objects.filter(window_end__lte=timezone.now().timestamp()).delete()[0]


def client_ip(request) -> str:
    """The reader's address. Behind TRUSTED_PROXY_COUNT reverse proxies REMOTE_ADDR is the
    nearest proxy's, the same for everyone, and the address the outermost proxy saw is that
    many entries from the right of X-Forwarded-For (entries further left are the client's to
    invent). Used by the rate limits and by django-axes."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def too_many_requests(request, message: str, retry_after: int):
    """The 429 page: what happened, in Chinese, and when to come back (Retry-After)."""
    response = render(request, "core/too_many_requests.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit_posts(scope: str, limit: int, window: int, message: str):
    """A view decorator: at most `limit` POSTs per client IP in each `window`-second window,
    then 429 with `message` until the window ends. GET is never limited."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and (
                retry_after := attempt(scope, client_ip(request), limit, window)
            ):
                return too_many_requests(request, message, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
