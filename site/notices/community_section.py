"""The community page's 停供通知 section (core.sections)."""

from django.utils import timezone

from core import page_cache
from notices import cache_tags, queries


def current_notices_section(request, community) -> dict:
    notices = list(queries.current_and_upcoming(community.outage_notices.live(), timezone.now()))
    page_cache.tag(
        request,
        *cache_tags.community_feed(community.code),
        *(cache_tags.page(notice.pk) for notice in notices),
    )
    return {
        "template": "notices/includes/community_notices.html",
        "head_template": "notices/includes/community_feed_links.html",
        "context": {"community": community, "notices": notices},
    }
