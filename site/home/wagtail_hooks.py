from wagtail import hooks

from core import page_cache


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    """Every page's response depends on the page itself (see core.page_cache)."""
    page_cache.tag(request, page_cache.page_tag(page.pk))
