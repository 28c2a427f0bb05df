"""The site chrome: company name, hotlines, heating season, filing numbers and the main
navigation, shown on every page. Built once and cached, and dropped when settings or the page tree change (see
signal_handlers), so a page view pays no queries for it.

With the default local-memory cache each process holds its own copy: a change made in one
process reaches the others within CHROME_TIMEOUT. With Redis the drop is immediate everywhere."""

from django.core.cache import cache
from wagtail import hooks
from wagtail.models import Site

from core import page_cache
from home import filing
from home.models import SiteSettings

CHROME_TIMEOUT = 60
CHROME_TAG = "chrome"
# Pages this deep or shallower are the home page and its sections, which the chrome lists.
SECTION_DEPTH = 3
# provider(site): where community links point (the directory's address), or "" for none; the
# app that owns the directory registers it in its wagtail_hooks.py, as home imports no app.
DIRECTORY_URL = "site_directory_url"


def cache_key(site_id: int) -> str:
    return f"site-chrome:{site_id}"


def site_chrome(request) -> dict | None:
    page_cache.tag(request, CHROME_TAG)
    site = Site.find_for_request(request)
    if site is None:
        return None
    chrome = cache.get(cache_key(site.pk))
    if chrome is None:
        chrome = build_chrome(site)
        cache.set(cache_key(site.pk), chrome, CHROME_TIMEOUT)
    return chrome


def build_chrome(site: Site) -> dict:
    settings = SiteSettings.for_site(site)
    hotlines = [dict(block.value) for block in settings.hotlines]
    sections = [
        {
            "title": page.title,
            "url": page.get_url(),
            "path": page.path,
            "description": page.search_description,
        }
        for page in site.root_page.get_children().live().in_menu().order_by("path")
    ]
    return {
        "company_name": settings.company_name,
        "office_address": settings.office_address,
        "hotlines": hotlines,
        "service_hotlines": [h for h in hotlines if h["kind"] == "service"],
        "season_start": settings.season_start,
        "season_end": settings.season_end,
        "season_days": settings.season_days,
        "sections": sections,
        "directory_url": _directory_url(site),
        "icp_number": settings.icp_number,
        "icp_url": filing.MIIT_URL,
        "police_number": settings.police_number,
        "police_url": filing.police_query_url(settings.police_number),
        "website_code": settings.website_code,
    }


def _directory_url(site: Site) -> str:
    found = (provider(site) for provider in hooks.get_hooks(DIRECTORY_URL))
    return next(filter(None, found), "")


def forget_all() -> None:
    cache.delete_many([cache_key(site_id) for site_id in Site.objects.values_list("pk", flat=True)])
    page_cache.invalidate(CHROME_TAG)
