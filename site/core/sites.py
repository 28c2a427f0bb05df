"""The Wagtail Site of a request from memory (core.memo) instead of Wagtail's query by host
name, which every request made (through the chrome, routing and settings) and whose SQL took
Django longer to build than any other of a page view (docs/benchmarks.md, issue 19).

The answer is Wagtail's own `get_site_for_hostname`, remembered per host name and port; a
change of any Site, page or view restriction gives the `page-tree` tag a new token (routes,
core.routing, are remembered under it too).
Each request gets fresh instances, so what one request caches on them (a root page's
`.specific`) is never seen by another."""

from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from core import memo, page_cache

PAGE_TREE_TAG = "page-tree"
_site_fields = [field.attname for field in Site._meta.concrete_fields]
_page_fields = [field.attname for field in Page._meta.concrete_fields]
# Host names are not checked against ALLOWED_HOSTS before the lookup (Wagtail's way): bounded.
_memo = memo.Memo(PAGE_TREE_TAG, size=32)


def find_for_request(request) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail does
    port = request.get_port()
    remembered = _memo.get(request, (hostname, port), lambda: _remember(hostname, port))
    return _instances(remembered) if remembered is not None else None


def _remember(hostname: str, port) -> tuple | None:
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    root = site.root_page
    return (
        tuple(getattr(site, name) for name in _site_fields),
        tuple(getattr(root, name) for name in _page_fields),
    )


def _instances(remembered: tuple) -> Site:
    site_values, root_values = remembered
    site = Site.from_db("default", _site_fields, site_values)
    site.root_page = Page.from_db("default", _page_fields, root_values)
    return site


class SiteMiddleware:
    """Sets the request's Site where Wagtail looks for it first (`request._wagtail_site`).
    After CommonMiddleware, which refuses host names not allowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = find_for_request(request)
        return self.get_response(request)


def _changed(sender, instance, **kwargs) -> None:
    # Page types send their own class as the sender: every save is looked at.
    if isinstance(instance, (Site, Page, PageViewRestriction)):
        page_cache.invalidate(PAGE_TREE_TAG)


def register_signal_handlers() -> None:
    post_save.connect(_changed, dispatch_uid="page-tree-saved")
    post_delete.connect(_changed, dispatch_uid="page-tree-deleted")
