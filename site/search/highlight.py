"""Matching words in <mark>, everything else escaped: the text shown comes from editors and
the terms from the query, and neither may become markup."""

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXCERPT_LENGTH = 90
_CONTEXT_BEFORE = 20
_SPACES = re.compile(r"\s+")


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    parts = pattern.split(text)  # the capture group keeps the matches at odd positions
    marked = "".join(
        f"<mark>{escape(part)}</mark>" if position % 2 else escape(part)
        for position, part in enumerate(parts)
    )
    # Words found side by side (春华 花园) read as one mark.
    return mark_safe(marked.replace("</mark><mark>", ""))  # noqa: S308 - every part is escaped


def contains(text: str, terms: Sequence[str]) -> bool:
    pattern = _pattern(terms)
    return pattern is not None and pattern.search(text) is not None


def excerpt(texts: Sequence[str], terms: Sequence[str]) -> SafeString:
    """About EXCERPT_LENGTH characters of the first text with a match, from a little before the
    first match; the start of the first text when none matches."""
    pattern = _pattern(terms)
    candidates = [_SPACES.sub(" ", text).strip() for text in texts if text]
    candidates = [text for text in candidates if text]
    if not candidates:
        return mark_safe("")
    text, start = candidates[0], 0
    if pattern is not None:
        for candidate in candidates:
            match = pattern.search(candidate)
            if match:
                text, start = candidate, max(0, match.start() - _CONTEXT_BEFORE)
                break
    shown = text[start : start + EXCERPT_LENGTH]
    prefix = "…" if start else ""
    suffix = "…" if start + EXCERPT_LENGTH < len(text) else ""
    return mark_safe(f"{prefix}{highlight(shown, terms)}{suffix}")  # noqa: S308 - escaped


def _pattern(terms: Sequence[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(f"({alternatives})", re.IGNORECASE)
