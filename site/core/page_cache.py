"""Whole-response cache for anonymous readers, invalidated exactly through tags.

A view opts in by tagging what its response shows (`tag(request, "page:12", "notices")`);
untagged responses are never cached, so nothing is cached that cannot be invalidated. Each tag
has a token in the cache; a stored response keeps the tokens it was rendered under and is
served only while every one is unchanged. `invalidate("notices")` replaces the token, so the
next request renders afresh. With Redis the tokens are shared by every process and machine.

Preferences kept in cookies (large text, 我的小区) make variants of a page: a view that reads
one declares it with `vary_on_cookie`, and the cache learns per path which cookies to key on,
as Django's cache middleware does for `Vary` headers.

Forms on cached pages keep working: CSRF tokens are stored as a placeholder and each reader
gets their own token when the page is served (and the CSRF cookie with it).

Only GET requests without a session cookie are served from or stored in the cache, and
only 200 responses that set no cookie other than the CSRF one. A response of an address that
is rarely asked twice (search words) is stored the second time a process renders it.

A response that shows what the clock changes at a known moment (a listing of "this week")
says so with `expires_at`: it is kept until then at the most, not for PAGE_CACHE_TIMEOUT.

A hit costs one cache round trip: each process remembers, per address, which cookies it varies
on and which tags its response showed (`_recall`), so it asks for the stored response and its
tags' current tokens together; a memory that has gone stale (a copy stored with other tags)
costs a second round trip, never a wrong page. Reading the tokens is most of a hit's time on
the file cache (a community page shows nine tags, a file each), so there is also a change
mark (`page-cache:changes`), replaced after any token is: each process remembers the mark under
which it last found a stored response's tokens current, and while the mark is the same it
reads only the response and the mark. Invalidation stays exact: a token written after the
tokens were read is followed by a new mark, and one written before them was seen. The process
also keeps a copy of the responses it served most recently: while the mark is the one they were
found current under, and for no longer than the cache keeps them, a hit reads only the mark."""

import hashlib
import math
import re
import time
import uuid
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from core.bounded import LeastRecentlyUsed

# Site search results can show any page or directory entry: every content change drops them.
SEARCH = "search"

_TAGS = "_page_cache_tags"
_VARY = "_page_cache_cookies"
_EXPIRES = "_page_cache_expires"
_RECORDERS = "_page_cache_recorders"
_MARK = "_page_cache_mark"
_ONCE = "_page_cache_store_if_asked_again"
PLACEHOLDER = b"--csrf-token-placeholder--"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
MAX_URLS_PER_TAG = 1000
# What a frontend cache may keep: only responses the same for everyone (no form, no
# preference cookie); our purge makes the limit a backstop.
SHARED_CACHE_CONTROL = "public, max-age=60, s-maxage={timeout}"
CACHED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "X-Frame-Options",
    "Link",
    "X-Robots-Tag",
)


def enabled() -> bool:
    return settings.PAGE_CACHE_TIMEOUT > 0


def page_tag(pk) -> str:
    """The tag of a page's own responses (home.signal_handlers renews it on publish)."""
    return f"page:{pk}"


def tag(request, *tags: str) -> None:
    """Record what this response shows. Harmless when the request is not cacheable."""
    recorded = getattr(request, _TAGS, None)
    if recorded is not None:
        recorded.update(tags)
    for recorder in getattr(request, _RECORDERS, ()):
        recorder.update(tags)


@contextmanager
def recording(request):
    """The tags recorded while the block runs, whether or not the response is cacheable
    (core.fragments keeps them with what the block rendered)."""
    recorded: set[str] = set()
    recorders = getattr(request, _RECORDERS, None)
    if recorders is None:
        recorders = []
        setattr(request, _RECORDERS, recorders)
    recorders.append(recorded)
    try:
        yield recorded
    finally:
        recorders.remove(recorded)


def tagged(*tags: str, dynamic=None):
    """Tag a function view's responses: fixed `tags`, plus `dynamic(**url_kwargs)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            tag(request, *tags, *(dynamic(**kwargs) if dynamic else ()))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def expires_at(request, moment) -> None:
    """This response goes stale at `moment` whatever else happens (a window of dates relative
    to today moves on): keep it no longer. The earliest of several moments counts."""
    if hasattr(request, _EXPIRES):
        earliest = getattr(request, _EXPIRES)
        setattr(request, _EXPIRES, moment if earliest is None else min(earliest, moment))


def _timeout(request) -> int:
    """Seconds to keep the response: PAGE_CACHE_TIMEOUT, or fewer when it expires before."""
    timeout = settings.PAGE_CACHE_TIMEOUT
    moment = getattr(request, _EXPIRES, None)
    if moment is not None:
        timeout = min(timeout, math.floor((moment - timezone.now()).total_seconds()))
    return timeout


def _expiry(request) -> float | None:
    moment = getattr(request, _EXPIRES, None)
    return moment.timestamp() if moment is not None else None


def _expired(entry) -> bool:
    """Past its `expires_at` moment by this process's clock, whatever the cache's own expiry
    (Redis counts the seconds by its clock, whole ones)."""
    expires = entry.get("expires")
    return expires is not None and time.time() >= expires


def _outlived(entry) -> bool:
    """A process's copy of a stored response past its `expires_at` or its time in the cache."""
    return _expired(entry) or time.time() >= entry["until"]


def store_if_asked_again(request) -> None:
    """Most words are searched once and never again: store this response only when this
    process is asked for the same address a second time, instead of writing two entries to
    the shared cache for every search nobody repeats."""
    if hasattr(request, _TAGS):
        setattr(request, _ONCE, True)


# Response keys rendered once at the request of store_if_asked_again, and not stored.
_asked_once = LeastRecentlyUsed(5000)


def vary_on_cookie(request, name: str) -> None:
    """This response depends on the cookie `name`: cache one copy per value."""
    varies = getattr(request, _VARY, None)
    if varies is not None:
        varies.add(name)


def invalidate(*tags: str) -> None:
    """Make every cached response that shows any of `tags` stale: now, and again when the
    transaction commits, as a reader in between may have cached the old content again."""
    names = {t for t in tags if t}
    if not names:
        return
    _bump(names)
    transaction.on_commit(lambda: (_bump(names), _purge_frontend(names)))


def invalidate_existing(tags) -> None:
    """As invalidate(), for thousands of tags at once and outside a transaction (a directory
    import, after its commit): only the tokens in the cache are replaced, in one read and one
    write. A tag without a token has no response stored under it (a response whose token was
    evicted is stale already), and writing 20,000 new tokens one file at a time would take
    the file-based cache minutes."""
    names = {t for t in tags if t}
    found = cache.get_many([_tag_key(name) for name in names])
    cache.set_many({key: uuid.uuid4().hex for key in found}, None)
    _mark_change()  # also for the tags without a token: responses verified before it was lost
    _purge_frontend(names)


def _bump(names) -> None:
    cache.set_many({_tag_key(name): uuid.uuid4().hex for name in names}, None)
    _mark_change()


CHANGES_KEY = "page-cache:changes"


def _mark_change() -> None:
    """After any token is written (or may have been lost): no process may trust what it
    verified under the previous mark."""
    cache.set(CHANGES_KEY, uuid.uuid4().hex, None)


def change_mark(request):
    """The change mark as this request first read it (the lookup reads it with the stored
    response), or now; None if it was lost, a new one then being put in its place for the
    next request."""
    if hasattr(request, _MARK):
        return getattr(request, _MARK)
    mark = cache.get(CHANGES_KEY)
    if mark is None:
        cache.add(CHANGES_KEY, uuid.uuid4().hex, None)
    setattr(request, _MARK, mark)
    return mark


def _frontend_cache() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _urls_key(name: str) -> str:
    return f"page-cache:urls:{name}"


def _remember_urls(request, tags) -> None:
    """For a frontend cache (CDN, Varnish): the addresses each tag was seen at, to purge."""
    url = request.build_absolute_uri()
    for name in tags:
        urls = cache.get(_urls_key(name)) or []
        if url not in urls:
            cache.set(_urls_key(name), [*urls, url][-MAX_URLS_PER_TAG:], None)


def _purge_frontend(names) -> None:
    if not _frontend_cache():
        return
    keys = [_urls_key(name) for name in names]
    urls = sorted({url for found in cache.get_many(keys).values() for url in found})
    cache.delete_many(keys)
    if urls:
        from core.tasks import enqueue, purge_frontend_cache

        enqueue(purge_frontend_cache, urls, task_name="purge-frontend-cache")


def _tag_key(name: str) -> str:
    return f"page-cache:tag:{name}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]


def _cacheable_request(request) -> bool:
    return (
        enabled()
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _vary_key(request) -> str:
    return f"page-cache:vary:{_digest(request.get_host(), request.path)}"


def _response_key(request, cookies) -> str:
    values = [f"{name}={request.COOKIES.get(name, '')}" for name in sorted(cookies)]
    return f"page-cache:page:{_digest(request.get_host(), request.get_full_path(), *values)}"


# What this process learnt of cached addresses: the cookies a path varies on (like the shared
# `page-cache:vary:` entry, which it saves a round trip for) and the tag names of the response
# stored for an address.
_recall = LeastRecentlyUsed(5000)
# Copies of the responses this process found current, with the change mark they were found
# under: while the mark is the same, a hit reads the mark alone, not the stored response (10 kB
# for a community page). At most COPIES of them, each of COPY_MAX_BYTES at most (a long
# regulation is read from the cache): 32 MB a process at worst.
COPIES = 500
COPY_MAX_BYTES = 64 * 1024
_copies = LeastRecentlyUsed(COPIES)


def _keep_copy(response_key: str, mark: str, entry: dict) -> None:
    if len(entry["content"]) <= COPY_MAX_BYTES:
        _copies.put(response_key, (mark, entry))
    else:  # a copy of an earlier, smaller version would cost every hit a round trip more
        _copies.discard(response_key)


def _current_tokens(tags) -> dict:
    keys = {name: _tag_key(name) for name in tags}
    found = cache.get_many(keys.values())
    return {name: found.get(key) for name, key in keys.items()}


def tokens(tags) -> dict:
    """The current token of each tag, a tag seen for the first time getting its token now (in
    one read when every tag has one). None for a tag whose token the cache cannot keep (Redis
    down): whatever was built under it must not be trusted."""
    found = _current_tokens(tags)
    missing = [name for name, token in found.items() if token is None]
    if missing:
        for name in missing:
            cache.add(_tag_key(name), uuid.uuid4().hex, None)
        _mark_change()
        found.update(_current_tokens(missing))
    return found


class PageCacheMiddleware:
    """Place before the session, locale, common, CSRF and authentication middleware: a hit is
    answered without them (a fifth of a hit's time went through them, issue 19). What they
    add to a response (Content-Language, Vary, X-Frame-Options) is stored with it; what they
    do for a hit is done here: Django's CSRF middleware reads the reader's CSRF cookie and
    sets it on a page with a form, and the Content-Length is set as CommonMiddleware sets
    it. Host names not allowed are refused here as there (the key is made of the host)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        cached = self._lookup(request)
        if cached is not None:
            return cached
        setattr(request, _TAGS, set())
        setattr(request, _VARY, set())
        setattr(request, _EXPIRES, None)
        response = self.get_response(request)
        self._store(request, response)
        return response

    def _lookup(self, request):
        vary_key = _vary_key(request)
        cookies = _recall.get(vary_key)
        if cookies is None:
            cookies = cache.get(vary_key)
            if cookies is None:
                return None
            _recall.put(vary_key, cookies)
        response_key = _response_key(request, cookies)
        copy = _copies.get(response_key)  # (mark, entry) this process served under that mark
        if copy is not None:
            mark = cache.get(CHANGES_KEY)
            setattr(request, _MARK, mark)
            if mark is not None and mark == copy[0] and not _outlived(copy[1]):
                return self._rebuild(request, copy[1])
        verified = _recall.get((CHANGES_KEY, response_key))  # (mark, tokens) found current
        if copy is None:
            tags = () if verified else _recall.get(response_key) or ()
            # The mark first: it must not be read after the tokens (file cache: key by key).
            found = cache.get_many([CHANGES_KEY, response_key, *map(_tag_key, tags)])
            mark = found.get(CHANGES_KEY)
            setattr(request, _MARK, mark)  # read before anything a render reads (core.memo)
        else:  # stale: the mark, read just now, came before the tokens it was stored under
            tags = tuple(copy[1]["tags"])
            found = cache.get_many([response_key, *map(_tag_key, tags)])
        entry = found.get(response_key)
        if entry is None or _expired(entry):
            return None
        if verified and mark is not None and verified == (mark, entry["tags"]):
            _keep_copy(response_key, mark, entry)
            return self._rebuild(request, entry)
        if tags and set(entry["tags"]) == set(tags):
            seen = {name: found.get(_tag_key(name)) for name in tags}
        else:  # first hit here, stored again with other tags, or a change since verified
            seen = _current_tokens(entry["tags"])
            _recall.put(response_key, tuple(entry["tags"]))
        if seen != entry["tags"]:
            return None
        if mark is not None:
            _recall.put((CHANGES_KEY, response_key), (mark, entry["tags"]))
            _keep_copy(response_key, mark, entry)
        else:  # lost (evicted): a new one, under which the next hit verifies and remembers
            cache.add(CHANGES_KEY, uuid.uuid4().hex, None)
        return self._rebuild(request, entry)

    def _store(self, request, response):
        tags = getattr(request, _TAGS)
        timeout = _timeout(request)
        if (
            not tags
            or timeout <= 0
            or response.status_code != 200
            or response.streaming
            or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        cookies = tuple(sorted(getattr(request, _VARY)))
        response_key = _response_key(request, cookies)
        if getattr(request, _ONCE, False) and _asked_once.get(response_key) is None:
            _asked_once.put(response_key, True)
            return
        current = tokens(tags)
        if None in current.values():  # evicted just now: better not to store than to guess
            return
        content = CSRF_INPUT.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
        if _frontend_cache() and not cookies and content == response.content:
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = SHARED_CACHE_CONTROL.format(timeout=timeout)
            _remember_urls(request, tags)
        entry = {
            "content": content,
            "headers": {h: response[h] for h in CACHED_HEADERS if response.has_header(h)},
            "tags": current,
            "csrf": content != response.content,
            "expires": _expiry(request),
            "until": time.time() + timeout,  # when the cache drops it: copies may not outlive it
        }
        cache.set_many({_vary_key(request): cookies, response_key: entry}, timeout)
        _recall.put(_vary_key(request), cookies)
        _recall.put(response_key, tuple(current))

    def _rebuild(self, request, entry):
        headers = entry["headers"]
        content = entry["content"]
        if entry["csrf"]:
            self.csrf.process_request(request)  # the reader's own CSRF cookie, if any
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        last_modified = headers.get("Last-Modified")
        response = (
            get_conditional_response(
                request,
                etag=headers.get("ETag"),
                last_modified=parse_http_date_safe(last_modified) if last_modified else None,
                response=response,
            )
            or response
        )
        response.headers["Content-Length"] = str(len(response.content))
        return self.csrf.process_response(request, response) if entry["csrf"] else response
