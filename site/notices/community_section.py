"""The community page's 停供通知 section (see contacts.extensions)."""

from django.utils import timezone

from notices import queries


def current_notices_section(request, community) -> dict:
    notices = queries.current_and_upcoming(community.outage_notices.live(), timezone.now())
    return {
        "template": "notices/includes/community_notices.html",
        "head_template": "notices/includes/community_feed_links.html",
        "context": {"community": community, "notices": list(notices)},
    }
