"""The place names that become words of the segmentation dictionary, so that a name indexes and
is looked up as one word: communities with their aliases and short names (星宇小区 → 星宇),
stations and their offices, the facilities outage notices name (长春市绿园区星宇东泵站 →
星宇东泵站) and the roads of their boundaries (皓月大路).

The apps that hold the names register them (PLACE_NAMES, a Wagtail hook), as the content apps
import this module for their search text and it imports none of them."""

import re
from collections.abc import Iterable

from wagtail import hooks

# provider(): the place names of an app's rows (lists such as aliases may be left whole), in its
# wagtail_hooks.py.
PLACE_NAMES = "chinese_place_names"

# What residents leave out when they name a community: 星宇小区 → 星宇, 安居三期 → 安居.
GENERIC_SUFFIXES = (
    "小区",
    "社区",
    "家园",
    "花园",
    "佳园",
    "公寓",
    "新村",
    "新城",
    "宿舍",
    "安置房",
)
_PHASE = re.compile(r"[一二三四五六七八九十\d]+期$")
_ROAD_SIDE = re.compile(r"(两侧|一侧|沿线)$")
_CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}市")
_SEPARATORS = re.compile(r"[,，、;；/()（）及\s]+")
# Longer strings are addresses or sentences, not names.
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,20}")


def dictionary_words(names: Iterable[str]) -> set[str]:
    """Every name (and its short form) fit to be a dictionary word; lists such as aliases
    ("星宇东、星宇家园") are split."""
    words = set()
    for name in names:
        for piece in _SEPARATORS.split(name or ""):
            for word in (piece, _PHASE.sub("", piece), short_name(piece)):
                if _WORD.fullmatch(word):
                    words.add(word)
    return words


def short_name(name: str) -> str:
    """星宇小区 → 星宇, 春华花园二期 → 春华; a name with nothing generic is left as it is."""
    name = _PHASE.sub("", name) or name
    for suffix in GENERIC_SUFFIXES:
        if name.endswith(suffix) and len(name) >= len(suffix) + 2:
            return name[: -len(suffix)]
    return name


def notice_place_names(area_name: str, district: str, *boundary_sides: str) -> list[str]:
    """The facilities of a notice's area without the city and district in front, and the roads
    its boundary runs along."""
    names = []
    for piece in _SEPARATORS.split(area_name or ""):
        piece = _CITY_PREFIX.sub("", piece)
        if district and piece.startswith(district):
            piece = piece[len(district) :]
        names.append(piece)
    names.extend(_ROAD_SIDE.sub("", side) for side in boundary_sides if side)
    return names


def place_names() -> list[str]:
    """Every place name in the database, read when a process first segments text."""
    return [name for provider in hooks.get_hooks(PLACE_NAMES) for name in provider()]
