"""A community as its page shows it (with its station and branch), by code, from each
process's memory while the directory is unchanged (core.memo): the community page and the home
page's 我的小区 read one on every view. Any community, station or branch saved or deleted, or a
directory import, renews the `directory` tag (contacts.signal_handlers, directory_csv)."""

import copy

from contacts import cache_tags
from contacts.models import Community
from core import memo

# Codes that name no community are remembered too: bounded.
_memo = memo.Memo(cache_tags.DIRECTORY, size=2048)


def community(request, code: str) -> Community | None:
    """A copy for this request: what it caches on the instance stays its own."""
    found = _memo.get(
        request, code, lambda: Community.objects.for_directory().filter(code=code).first()
    )
    return copy.copy(found) if found is not None else None
