"""Fixed-window rate limits on the shared cache, for the public forms."""

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key); False once `limit` attempts fell in `window` seconds.
    Keys are hashed: a phone number never appears in the cache in clear."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    name = f"ratelimit:{scope}:{digest}"
    if cache.add(name, 1, window):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(name, 1, window)
        return True


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
