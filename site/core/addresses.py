"""The site's absolute addresses: every link that leaves a page (the JSON API, the RSS/Atom
feeds, CAP, the calendars, texts and e-mails) is built here, so all of them name the same
address for the same page.

The base address is, in this order:

1. `settings.PUBLIC_BASE_URL` when it is set: the canonical address, whatever host or scheme a
   request arrived with (through a proxy, an internal name, an IP address), and outside requests;
2. the request's own scheme and host;
3. outside a request (tasks, texts), `settings.WAGTAILADMIN_BASE_URL`.

Staff e-mails link to the admin, always at WAGTAILADMIN_BASE_URL (`admin_url`).

Wagtail's Site record (`Page.get_full_url`) is not used: its hostname and port are whatever the
Sites screen in the admin says (`localhost:80` after the demo load), not where readers are."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.encoding import iri_to_uri


def base_url(request: HttpRequest | None = None) -> str:
    """Scheme and host without a trailing slash, e.g. `https://heat.example.cn`."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute URL of a path on the site (from `reverse()` or a page's URL path)."""
    return iri_to_uri(base_url(request) + path)


def page_url(page, request: HttpRequest | None = None) -> str | None:
    """The absolute URL of a Wagtail page, None when it is not routable. Built from the page's
    path: `Page.url` itself is already absolute, with the Site's hostname, when there are
    several Sites."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    return absolute_url(parts[2], request)


def host(request: HttpRequest | None = None) -> str:
    """The host name of the base address, without port: the authority of the feeds' tag URIs
    and the calendars' UIDs, so an item's identity follows the site's address too."""
    return urlsplit(base_url(request)).hostname


def admin_url(path: str) -> str:
    """The absolute URL of an admin path, for staff e-mails: WAGTAILADMIN_BASE_URL, where
    Wagtail's own e-mails send staff too (the admin may be reached at another address)."""
    return iri_to_uri(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path)
