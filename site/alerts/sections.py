"""The subscribe form on community and notice pages (core.sections)."""

from django.utils.functional import lazy

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
    # Read when the form is drawn: the notice page keeps its body, this form in it, as a
    # fragment (core.fragments), so most views never draw it.
    codes = lazy(lambda: ",".join(c.code for c in notice.communities.all()), str)()
    return {
        "template": "alerts/includes/subscribe_section.html",
        "context": {"community": None, "form": SubscribeForm(initial={"communities": codes})},
    }
