"""What every request needs and rarely changes (the Site of a host name, the site chrome),
built once per process and kept while the tags it depends on are unchanged.

The tags are the page cache's (core.page_cache): `page_cache.invalidate(tag)` gives a tag a new
token in the shared cache, so a value built under the old token is rebuilt by every process on
its next request, as exactly as a cached response is dropped.

Tokens are not read on every request: a request reads the page cache's change mark (replaced
after any token is; the page cache's own lookup has read it already when the page cache is on),
and while the mark is the one under which this process read a tag's token, that token is still
current. So a request costs one small read however many memos and fragments it consults; after
a change, the first request reads the tokens of every memo's tags in one more round trip, and
a tag seen for the first time under a mark (a page's own tag) costs one more. A token read
after the mark was is current as of the mark or newer, and any later change is followed by a
new mark, so invalidation stays as exact as the page cache's.

A tag without a token (never seen, evicted, Redis down) is given one; while the cache cannot
keep a token, nothing is trusted and every request builds afresh. Tokens are read before a
value is built, so a change made while it is built makes it stale at once.

A value may depend on more than the memo's tags: `get(..., tags=)` names those of one key
(a page's own `page:<id>`), and a build may return `Kept(value, until)` to name the moment
after which the value is stale whatever the tags say (the next end of a notice it lists)."""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from core import page_cache
from core.bounded import LeastRecentlyUsed

_TOKENS = "_memo_tokens"
_registered_tags: set[str] = set()
_memos: list["Memo"] = []
# (change mark, {tag: token read after this process saw that mark}), shared by the threads of
# the process; replaced, never emptied, when a request finds another mark.
_known = (None, {})


def tokens(request, tags) -> dict:
    """The current tokens of `tags` for this request (or read now, without one)."""
    if request is None:
        return page_cache.tokens(tags)
    known = getattr(request, _TOKENS, None)
    if known is None:
        known = _known_under(page_cache.change_mark(request))
        setattr(request, _TOKENS, known)
    missing = [name for name in tags if name not in known]
    if missing:
        found = page_cache.tokens(sorted((_registered_tags - known.keys()).union(missing)))
        if None in found.values():  # the cache keeps no token: nothing shared is learnt
            known = {**known, **found}
            setattr(request, _TOKENS, known)
        else:
            known.update(found)
    return {name: known[name] for name in tags}


def _known_under(mark) -> dict:
    """The tokens this process read under `mark`; a dict of this request's own without one."""
    global _known
    if mark is None:
        return {}
    known = _known
    if known[0] != mark:
        known = _known = (mark, {})
    return known[1]


@dataclass(frozen=True)
class Kept:
    """What a build returns when its value also depends on the clock."""

    value: object
    until: datetime | None


class Memo:
    """Values by key, each valid while `tags` keep the tokens it was built under. Bounded:
    the least recently used value is forgotten first."""

    def __init__(self, *tags: str, size: int = 64):
        self.tags = tags
        self._values = LeastRecentlyUsed(size)  # key → (tokens, value, until)
        _registered_tags.update(tags)
        _memos.append(self)

    def get(self, request, key: Hashable, build: Callable[[], object], tags: Iterable[str] = ()):
        wanted = (*self.tags, *tags)
        current = tokens(request, wanted)
        found = self._values.get(key)
        if found is not None:
            kept_tokens, value, until = found
            if kept_tokens == current and (until is None or timezone.now() < until):
                return value
        built = build()
        until = None
        if isinstance(built, Kept):
            built, until = built.value, built.until
        if None not in current.values():
            self._values.put(key, (current, built, until))
        return built

    def clear(self) -> None:
        self._values.clear()


def forget_all(**kwargs) -> None:
    """Every memo of this process emptied (a Django setting changed: the tests' overrides)."""
    global _known
    _known = (None, {})
    for remembered in _memos:
        remembered.clear()
