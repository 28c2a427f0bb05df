"""Which cached responses (core.page_cache) show directory entries: the directory itself,
and each community's page (with its station and branch), which notices also show."""

from core.page_cache import SEARCH

DIRECTORY = "directory"
__all__ = [
    "DIRECTORY",
    "SEARCH",
    "branch",
    "communities_changed",
    "community",
    "for_community",
    "station",
]


def community(code: str) -> str:
    return f"community:{code}"


def station(pk) -> str:
    return f"station:{pk}"


def branch(pk) -> str:
    return f"branch:{pk}"


def for_community(entry) -> list[str]:
    """A community as its page shows it: itself, its station and the station's branch."""
    tags = [community(entry.code), station(entry.station_id)]
    if entry.station.branch_id:
        tags.append(branch(entry.station.branch_id))
    return tags


def communities_changed(codes) -> list[str]:
    """What saving or deleting these communities makes stale: the directory, search results and
    each community's page (one save in the admin, or a whole directory import)."""
    return [DIRECTORY, SEARCH, *(community(code) for code in codes)]
