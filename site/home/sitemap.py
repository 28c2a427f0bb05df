"""sitemap.xml: every live public page, with the routes that are pages too (the calculators, the
notices' archive, a page per community in the directory), and when each was last published.
Wagtail's sitemap app lists the pages; each page type says what it adds in `get_sitemap_urls`
(core.pages.BasePage, contacts.pages.DirectoryPage). A constant number of queries, whatever the
number of pages and communities.

Served from the page cache as every public address is. It lists any page or directory entry,
as search results do, so it carries their tag (page_cache.SEARCH), which every publish,
unpublish, move, deletion and directory change drops. Its ETag is a digest of the document:
Django's Last-Modified (the newest lastmod) would not change when a page is unpublished."""

import hashlib

from django.utils.cache import get_conditional_response, quote_etag
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from core import page_cache


@page_cache.tagged(page_cache.SEARCH)
def sitemap(request):
    response = wagtail_sitemap(request)
    response.render()
    response.headers.pop("Last-Modified", None)
    response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    return get_conditional_response(request, etag=response["ETag"], response=response) or response
