"""The 在线办理 links on each community's page (and on the home page's 我的小区), through
core.sections: the five forms with the community already chosen. Built from the
community the page already holds, so it costs no query."""

from servicedesk.enums import RequestKind


def community_services_section(request, community) -> dict:
    return {
        "template": "servicedesk/includes/community_services.html",
        "context": {"community": community, "kinds": list(RequestKind)},
        "fragment": (community.code,),
        "fragment_tags": [f"community:{community.code}"],
    }
