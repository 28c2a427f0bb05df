"""Parts of pages rendered once per process and kept while what they show is unchanged: a
notice's body (facts, map, details, timeline, subscribe form), the 信息索引 box. A view then
assembles its page from them instead of rendering every part on every request.

A fragment is named by a key (its name and the ids it depends on; the site and language are
added) and valid while the page-cache tags it names keep the tokens read before it was
rendered (core.page_cache, core.memo): the changes that drop a cached response drop the
fragment too, as exactly. Tags the fragment's own templates record while it renders are kept
with it and checked as well, and given to the response on every use, so a page assembled from
fragments is tagged for the page cache as if rendered whole.

A CSRF token in a fragment is kept as a placeholder and each reader gets their own. Previews
(drafts) are never stored or served from here."""

import re

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from core import memo, page_cache
from core.bounded import LeastRecentlyUsed

PLACEHOLDER = page_cache.PLACEHOLDER.decode()
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
SIZE = 5000


# key → (the tokens it was rendered under, its HTML or value, whether it holds a CSRF token)
_store = LeastRecentlyUsed(SIZE)


def render(request, key: tuple, tags, build) -> SafeString:
    """The fragment `key`, built by `build()` (a template's output, escaped already) when it
    is not kept or is stale."""
    if request is None or getattr(request, "is_preview", False):
        return build()
    site = Site.find_for_request(request)
    key = (site.pk if site else None, get_language(), *key)
    tags = set(tags)
    entry = _store.get(key)
    if entry is not None:
        kept_tokens, html, has_token = entry
        if tags <= kept_tokens.keys() and memo.tokens(request, kept_tokens) == kept_tokens:
            page_cache.tag(request, *kept_tokens)
            return _with_token(request, html, has_token)
    before = memo.tokens(request, tags)
    with page_cache.recording(request) as recorded:
        html = build()
    page_cache.tag(request, *tags)
    current = {**memo.tokens(request, recorded - tags), **before}
    stored = CSRF_INPUT.sub(r"\1" + PLACEHOLDER + r"\2", html)
    if None not in current.values():
        _store.put(key, (current, stored, stored != html))
    return html


def kept_values(request, keys: list[tuple], tags, build) -> dict:
    """Values (of any kind: a feed item's wording) for many keys that show what the same
    `tags` name, each kept as a fragment is; `build(missing_keys)` gives {key: value} for the
    keys not kept or stale, in one batch. One cache round trip (or none) for all of them."""
    if request is None:
        return build(keys)
    site = Site.find_for_request(request)
    prefix = ("value", site.pk if site else None, get_language())
    current = memo.tokens(request, set(tags))
    page_cache.tag(request, *tags)
    found, missing = {}, []
    for key in keys:
        entry = _store.get((*prefix, *key))
        if entry is not None and entry[0] == current:
            found[key] = entry[1]
        else:
            missing.append(key)
    if missing:
        built = build(missing)
        if None not in current.values():
            for key, value in built.items():
                _store.put((*prefix, *key), (current, value, False))
        found.update(built)
    return found


def _with_token(request, html: str, has_token: bool) -> SafeString:
    if has_token:
        html = html.replace(PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - a template's output, kept


def clear(**kwargs) -> None:
    """Every fragment of this process dropped (also when a Django setting changes: what a
    fragment shows may follow one, as the notice maps follow the tile server's)."""
    _store.clear()
