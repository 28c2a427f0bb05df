"""Pinyin keys for looking up communities: residents type "xy" or "xingyu" for 星宇."""

import re

from pypinyin import Style, lazy_pinyin

_LATIN = re.compile(r"[^a-z0-9]")


def initials(text: str) -> str:
    """星宇东泵站 → xydbz; letters and digits in the text are kept as they are."""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return _LATIN.sub("", "".join(letters).lower())


def full(text: str) -> str:
    """星宇 → xingyu."""
    return _LATIN.sub("", "".join(lazy_pinyin(text, errors="default")).lower())


def search_key(*names: str) -> str:
    """One space-separated string of initials and full pinyin for every name, stored on the
    row at save time so a lookup is a single indexed `LIKE`, not pinyin work per request."""
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        for key in (initials(name), full(name)):
            if key and key not in keys:
                keys.append(key)
    return " ".join(keys)


def normalise_query(query: str) -> str:
    return _LATIN.sub("", query.lower())
