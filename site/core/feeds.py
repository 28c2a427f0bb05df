"""What every feed of the site shares: absolute links and GUIDs that outlive a page's address.

Item GUIDs are tag URIs built from a record's id (cfpb's practice), never from its URL, so a
renamed or moved page is not a new item for the disclosure portal's reader."""

import copy
import logging

import requests
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.utils.http import http_date
from wagtail.models import Site

from core import fragments
from core.addresses import absolute_url, host

logger = logging.getLogger(__name__)


def tag_uri(request, kind: str, key) -> str:
    """tag:example.cn,2026:notice-42 — stable for the life of the record."""
    return f"tag:{host(request)},2026:{kind}-{key}"


class SiteFeed(Feed):
    """A feed whose links are absolute, from core.addresses: syndication's add_domain leaves an
    absolute URL as it is (a path it would prefix with the request's host)."""

    language = "zh-CN"

    def __call__(self, request, *args, **kwargs):
        # The request is kept for the links and GUIDs on a copy: feeds are module-level
        # instances, and gunicorn's threads serve several requests of a process at once.
        feed = copy.copy(self)
        feed.request = request
        return feed.respond(request, *args, **kwargs)

    def respond(self, request, *args, **kwargs):
        """Django's Feed.__call__, with the document written whole into the response (written
        to the response directly, it took several hundred small writes a feed), and kept per
        process while what it shows is unchanged when the feed says how (`kept_as`)."""
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404("Feed object does not exist.") from exc
        kept = self.kept_as(obj)
        if kept is None:
            body, content_type, last_modified = self.document(obj, request)
        else:
            key, tags = kept
            found = fragments.kept_values(
                request, [key], tags, lambda keys: {key: self.document(obj, request)}
            )
            body, content_type, last_modified = found[key]
        response = HttpResponse(body, content_type=content_type)
        if last_modified is not None:
            response.headers["Last-Modified"] = last_modified
        return response

    def kept_as(self, obj) -> tuple | None:
        """(key, tags) under which the document is kept (core.fragments): a feed whose every
        word follows page-cache tags says which; None renders it on every request."""
        return None

    def document(self, obj, request) -> tuple[bytes, str, str | None]:
        """(the XML, its content type, its Last-Modified header or None)."""
        generator = self.get_feed(obj, request)
        last_modified = None
        if hasattr(self, "item_pubdate") or hasattr(self, "item_updateddate"):
            last_modified = http_date(generator.latest_post_date().timestamp())
        return generator.writeString("utf-8"), generator.content_type, last_modified

    def feed_url(self):
        return absolute_url(self.request.path, self.request)

    def author_name(self):
        """Atom requires an author of a feed whose entries name none (RFC 4287 4.1.1): the
        site's name from the Sites screen (the company's, as the demo sets it), else its host.
        RSS has no channel author: Django writes it in Atom only."""
        site = Site.find_for_request(self.request)
        return (site.site_name if site else "") or host(self.request)


def announce(paths: list[str]) -> None:
    """Feeds render from the database, so they show a change at once; tell what sits in front
    of them: the frontend caches (when configured) and a WebSub hub (when configured)."""
    urls = [absolute_url(path) for path in paths]
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(urls)
    hub = getattr(settings, "WEBSUB_HUB_URL", "")
    if hub:
        for url in urls:
            try:
                requests.post(hub, data={"hub.mode": "publish", "hub.url": url}, timeout=10)
            except requests.RequestException as exc:
                logger.warning("WebSub hub ping failed for %s: %s", url, exc)
