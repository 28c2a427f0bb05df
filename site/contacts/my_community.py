"""“我的小区”: the community a resident picked, remembered in a cookie instead of an account.
The cookie holds only the community's public code (e.g. LY-0001), nothing about the person."""

import re

from django.conf import settings

from contacts import cache_tags, entries
from contacts.models import Community
from core import page_cache
from core.sections import COMMUNITY_PAGE, sections

COOKIE = "my_community"
MAX_AGE = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days
CODE = re.compile(r"^[-\w]{1,40}$")


def chosen_code(request) -> str:
    page_cache.vary_on_cookie(request, COOKIE)
    code = request.COOKIES.get(COOKIE, "")
    return code if CODE.match(code) else ""


def chosen_community(request) -> Community | None:
    code = chosen_code(request)
    if not code:
        return None
    return entries.community(request, code)


def remember(response, community: Community) -> None:
    response.set_cookie(
        COOKIE,
        community.code,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def my_community_section(request) -> dict:
    """The home page's first section: the chosen community's outages, contacts and SMS form,
    or the form to choose one."""
    community = chosen_community(request)
    context = {"community": community}
    if community is not None:
        page_cache.tag(request, *cache_tags.for_community(community))
        context.update(
            station=community.station, sections=sections(COMMUNITY_PAGE, request, community)
        )
    return {"template": "contacts/includes/my_community.html", "context": context}
