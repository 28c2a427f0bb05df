"""适老化: a large-text, high-contrast display that a reader switches on once and keeps.

Remembered in a cookie (no account). Pages carry only a plain link to the settings page, so
they stay free of CSRF tokens and cacheable per display mode; the switch itself is a POST."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core import page_cache
from core.ratelimit import limit_posts

COOKIE = "display"
LARGE = "large"
MAX_AGE = 400 * 24 * 3600
# Per IP: 100 switches in 10 minutes; only a script switches more often.
RATE_LIMIT = (100, 600)


def large_text(request) -> bool:
    page_cache.vary_on_cookie(request, COOKIE)
    return request.COOKIES.get(COOKIE) == LARGE


def display_mode(request) -> dict:
    """Context processor: `large_text` for the <html> class and the header link."""
    return {"large_text": large_text(request)}


def _next_url(request, data) -> str:
    target = data.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@limit_posts("display", *RATE_LIMIT, _("操作太频繁，请十分钟后再试。"))
@require_http_methods(["GET", "POST"])
def display_settings(request):
    if request.method == "POST":
        response = redirect(_next_url(request, request.POST))
        if request.POST.get("mode") == LARGE:
            response.set_cookie(
                COOKIE,
                LARGE,
                max_age=MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        else:
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
    return render(request, "home/display_settings.html", {"next": _next_url(request, request.GET)})
