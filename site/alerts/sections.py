"""The subscribe form on community and notice pages (core.sections)."""

from alerts.forms import SubscribeForm


def community_subscribe_section(request, community) -> dict:
    return {
        "template": "alerts/includes/subscribe_section.html",
        "context": {
            "community": community,
            "form": SubscribeForm(initial={"communities": community.code}),
        },
        # The same form for every reader (each gets their own CSRF token): kept as a fragment.
        "fragment": (community.code,),
        "fragment_tags": [f"community:{community.code}"],
    }


def notice_subscribe_section(request, notice) -> dict:
    codes = ",".join(community.code for community in notice.communities.all())
    return {
        "template": "alerts/includes/subscribe_section.html",
        "context": {"community": None, "form": SubscribeForm(initial={"communities": codes})},
    }
