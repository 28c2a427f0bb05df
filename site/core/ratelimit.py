"""Fixed-window rate limits on the shared cache, for the public forms.

Every public view that accepts POST is limited per client IP, with a number per form
(docs/security.md lists them; tests/security/test_endpoints.py proves each); forms that take a
phone number are limited per number as well."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def allow(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key); False once `limit` attempts fell in `window` seconds.
    Keys are hashed: a phone number never appears in the cache in clear."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    name = f"ratelimit:{scope}:{digest}"
    if cache.add(name, 1, window):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add() and incr(), or Redis is unreachable:
        # fail-open, the forms keep working during an outage (config/cache.py, docs/deployment.md)
        cache.add(name, 1, window)
        return True


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


def too_many_requests(request, message: str, window: int):
    """The 429 page: what happened, in Chinese, and when to come back (Retry-After)."""
    response = render(request, "core/too_many_requests.html", {"message": message}, status=429)
    response["Retry-After"] = str(window)
    return response


def limit_posts(scope: str, limit: int, window: int, message: str):
    """A view decorator: at most `limit` POSTs per client IP in `window` seconds, then 429 with
    `message`. GET is never limited."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not allow(scope, client_ip(request), limit, window):
                return too_many_requests(request, message, window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
