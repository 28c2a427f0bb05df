"""The base of every page type of the site."""

from wagtail.models import Page


class BasePage(Page):
    """A page of the site. Everything published here is public information, so the admin offers
    no privacy options (no password or login-only pages: docs/security.md), and the page cache
    never has to tell private pages apart."""

    private_page_options = []

    class Meta:
        abstract = True
