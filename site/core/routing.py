"""Wagtail's routing of a page address, remembered per process (core.memo) until the page
tree changes, and the view that serves pages with it.

Wagtail finds a page by walking the tree from the site's root, two queries a level, and then
asks for the view restrictions of the page and its ancestors (two more): on the notice page
that was over a third of a view (docs/benchmarks.md, issue 19). Here the first request for an
address routes as Wagtail does; what it found (the page's type and id, the arguments of a
routable page's view, whether any view restriction applies) is remembered under the
`page-tree` tag, which any Site, page or view restriction saved or deleted renews. The page's
row is remembered too, under `page-tree` and the page's own `page:<id>` (renewed by a change
made without a save, as a rule marking a notice major), and each request gets a fresh
instance built from it: no query. A routable page's view is remembered by name and taken from
the page built for the request, never from the instance that was routed."""

import inspect

from django.http import Http404, HttpResponse
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Site
from wagtail.url_routing import RouteResult
from wagtail.wagtail_hooks import check_view_restrictions

from core import memo, page_cache
from core.sites import PAGE_TREE_TAG

# Addresses that found no page are remembered too (a 404 walks the tree as well): bounded.
_memo = memo.Memo(PAGE_TREE_TAG, size=5000)
_rows = memo.Memo(PAGE_TREE_TAG, size=5000)


def route(request, path: str) -> tuple[RouteResult, bool] | None:
    """(Wagtail's route result, whether a view restriction applies), or None for no page."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    found = []
    remembered = _memo.get(request, (site.pk, path), lambda: _route(request, site, path, found))
    if remembered is None:
        return None
    page_class, pk, args, kwargs, restricted = remembered
    routed = found[0][0].page if found else None  # routed just now: no second load of it
    row = _rows.get(
        request, pk, lambda: _row(page_class, pk, routed), tags=[page_cache.page_tag(pk)]
    )
    if routed is not None:
        return found[0]
    if row is None:  # gone since the route was remembered
        return None
    page = page_class.from_db("default", *row)
    return RouteResult(page, _bound(page, args), kwargs), restricted


def _row(page_class, pk, routed=None) -> tuple | None:
    """(field names, values) of the live page, as `Model.from_db` takes them: from the page
    just routed, or one query."""
    names = [field.attname for field in page_class._meta.concrete_fields]
    if routed is not None:
        return names, tuple(getattr(routed, name) for name in names)
    values = page_class.objects.filter(pk=pk, live=True).values_list(*names).first()
    return (names, values) if values is not None else None


def _route(request, site: Site, path: str, found: list) -> tuple | None:
    try:
        result = site.root_page.localized.specific.route(
            request, [component for component in path.split("/") if component]
        )
    except Http404:
        return None
    page, args, kwargs = result
    restricted = page.get_view_restrictions().exists()
    found.append((result, restricted))
    return type(page), page.pk, _unbound(page, args), kwargs, restricted


class _ViewName(str):
    """A routable page's view (a method of the page), remembered by its name."""


def _unbound(page, args: tuple) -> tuple:
    return tuple(
        _ViewName(arg.__name__) if inspect.ismethod(arg) and arg.__self__ is page else arg
        for arg in args
    )


def _bound(page, args: tuple) -> tuple:
    return tuple(getattr(page, arg) if isinstance(arg, _ViewName) else arg for arg in args)


def serve(request, path):
    """wagtail.views.serve, with the route from memory, and without Wagtail's view-restriction
    check (two queries) for a page that has none."""
    routed = route(request, path)
    if routed is None:
        raise Http404
    result, restricted = routed
    request._wagtail_route_for_request = result  # where Page.route_for_request looks first
    page, args, kwargs = result
    chain = wagtail_views.serve_chain
    for wrapper in reversed(hooks.get_hooks("on_serve_page")):
        if wrapper is check_view_restrictions and not restricted:
            continue
        chain = wrapper(chain)
    for hook in hooks.get_hooks("before_serve_page"):
        response = hook(page, request, args, kwargs)
        if isinstance(response, HttpResponse):
            return response
    return chain(page, request, args, kwargs)
