"""The base of every page type of the site."""

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from core.addresses import page_url


class BasePage(Page):
    """A page of the site. Everything published here is public information, so the admin offers
    no privacy options (no password or login-only pages: docs/security.md), and the page cache
    never has to tell private pages apart."""

    private_page_options = []

    class Meta:
        abstract = True

    def get_sitemap_urls(self, request=None):
        """The page's entries in sitemap.xml (Wagtail's sitemap app): the page itself at the
        site's public address (core.addresses; Wagtail's own `get_full_url` would name the Site
        record's host), and each of its routes that takes no argument (a routable page's
        listings and forms). A page type with routes that take one, or with a route that is no
        page, overrides this."""
        location = page_url(self, request)
        if location is None:
            return []
        lastmod = self.last_published_at or self.latest_revision_created_at
        paths = [""]
        if isinstance(self, RoutablePageMixin):
            paths += [path for path in _routes_without_arguments(type(self)) if path not in paths]
        return [{"location": location + path, "lastmod": lastmod} for path in paths]


def _routes_without_arguments(page_class) -> list[str]:
    """The paths, relative to the page, of a routable page type's routes that take no argument."""
    resolver = page_class.get_resolver()
    paths = []
    for route in page_class.get_subpage_urls():
        if route.pattern.regex.groups == 0:  # path() and re_path() patterns alike
            paths.append(resolver.reverse(route.name))
    return paths
