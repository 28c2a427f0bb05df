"""The community page's 停供通知 section (core.sections)."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core import page_cache
from notices import cache_tags, queries
from notices.models import OutageNoticePage


def current_notices_section(request, community) -> dict:
    """Which notices in one light query (the clock decides); the list is kept as a fragment."""
    current = queries.current_and_upcoming(community.outage_notices.live(), timezone.now())
    ids = tuple(current.values_list("pk", flat=True))
    tags = [
        *cache_tags.community_feed(community.code),
        *(cache_tags.page(pk) for pk in ids),
    ]
    page_cache.tag(request, *tags)
    return {
        "template": "notices/includes/community_notices.html",
        "head_template": "notices/includes/community_feed_links.html",
        "context": {"community": community, "notices": SimpleLazyObject(lambda: _notices(ids))},
        "fragment": (community.code, ids),
        "fragment_tags": tags,
    }


def _notices(ids) -> list[OutageNoticePage]:
    found = OutageNoticePage.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
