"""The site chrome: company name, hotlines, heating season, filing numbers and the main
navigation, shown on every page. Built once per process and kept in its memory (core.memo)
until settings, a Site or the sections it lists change (see signal_handlers, which give the
`chrome` tag a new token): a page view pays no query and no cache read for it beyond the
memo's shared one. The header and footer drawn from it are kept under the same tag."""

from wagtail import hooks
from wagtail.models import Site

from core import memo, page_cache
from home import filing
from home.models import SiteSettings

CHROME_TAG = "chrome"
# Pages this deep or shallower are the home page and its sections, which the chrome lists.
SECTION_DEPTH = 3
# provider(site): where community links point (the directory's address), or "" for none; the
# app that owns the directory registers it in its wagtail_hooks.py, as home imports no app.
DIRECTORY_URL = "site_directory_url"


_memo = memo.Memo(CHROME_TAG)


def site_chrome(request) -> dict | None:
    """Shared by every request of the process: read it, never change it."""
    page_cache.tag(request, CHROME_TAG)
    site = Site.find_for_request(request)
    if site is None:
        return None
    return _memo.get(request, site.pk, lambda: build_chrome(site))


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
    page_cache.invalidate(CHROME_TAG)
