from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site


def _site_sections(request) -> list[Page]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().order_by("path"))


def site_sections(request):
    """The main navigation: the home page's children shown in menus. Lazy, so admin views and
    other templates that never show it pay nothing; one query where it is shown."""
    return {"site_sections": SimpleLazyObject(lambda: _site_sections(request))}
