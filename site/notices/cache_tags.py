"""Which cached responses (core.page_cache) show a notice: its own page and documents
(`page:<id>`), every list and feed of notices (`notices`), and the pages and feeds of the
communities it affects (`community-notices:<code>`). A community page also carries the tag of
each notice it lists, so a notice that leaves a community drops from that page too."""

from contacts.cache_tags import SEARCH, community
from contacts.models import Community
from core import page_cache

NOTICES = "notices"


def page(notice_id) -> str:
    return page_cache.page_tag(notice_id)


def community_notices(code: str) -> str:
    return f"community-notices:{code}"


def community_feed(code: str) -> list[str]:
    return [community(code), community_notices(code)]


def invalidate_notice(notice_id: int) -> None:
    codes = Community.objects.filter(outage_notices__pk=notice_id).values_list("code", flat=True)
    page_cache.invalidate(
        NOTICES, page(notice_id), SEARCH, *(community_notices(code) for code in codes)
    )
