"""The community page's 停供通知 section (core.sections)."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core import memo, page_cache
from notices import cache_tags, queries
from notices.models import OutageNoticePage

# Which notices each community lists, per process (core.memo): kept until a notice or the
# community changes, or the first listed notice ends.
_current = memo.Memo(cache_tags.NOTICES, size=2048)


def current_notices_section(request, community) -> dict:
    """Which notices from memory, or one light query; the list is kept as a fragment."""
    feed_tags = cache_tags.community_feed(community.code)
    ids = _current.get(
        request,
        community.code,
        lambda: queries.current_and_upcoming_ids(community.outage_notices.live(), timezone.now()),
        tags=feed_tags,
    )
    tags = [*feed_tags, *(cache_tags.page(pk) for pk in ids)]
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
