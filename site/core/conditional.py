"""Conditional GET for the machine channels: an unchanged feed, calendar or JSON document is
answered 304 from one small query, before anything is rendered."""

import hashlib
from functools import wraps

from django.db.models import Count, Max, QuerySet
from django.views.decorators.http import condition

CACHE_CONTROL = "public, max-age=60"


def fingerprint(queryset: QuerySet, field: str, key: str):
    """(ETag, Last-Modified) of a selection: its size and latest change, in one aggregate."""
    stats = queryset.aggregate(count=Count("pk"), latest=Max(field))
    latest = stats["latest"]
    raw = f"{key}:{stats['count']}:{latest.isoformat() if latest else ''}"
    return f'"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"', latest


_STATS = "_conditional_stats"


def stats(request) -> tuple | None:
    """(ETag, Last-Modified) computed for this request by the view's `conditional`, if any."""
    return getattr(request, _STATS, None)


def conditional(compute, cache_control: str = CACHE_CONTROL):
    """Decorate a view with ETag / Last-Modified from `compute(request, **kwargs)`, computed once
    per request (Django asks for the two separately), and a public Cache-Control."""

    def decorator(view):
        def computed(request, *args, **kwargs):
            if not hasattr(request, _STATS):
                setattr(request, _STATS, compute(request, *args, **kwargs))
            return stats(request)

        checked = condition(
            etag_func=lambda request, *a, **kw: computed(request, *a, **kw)[0],
            last_modified_func=lambda request, *a, **kw: computed(request, *a, **kw)[1],
        )(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = checked(request, *args, **kwargs)
            response["Cache-Control"] = cache_control
            return response

        return wrapped

    return decorator
