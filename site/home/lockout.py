"""django-axes' lockout page (AXES_LOCKOUT_CALLABLE): axes' own page, with `Retry-After`."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def login_locked(request, original_response=None, credentials=None):
    """The lockout lasts AXES_COOLOFF_TIME from the last failure: that is when to come back."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": cool_off,
    }
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
