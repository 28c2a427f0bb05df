"""A regulation's outline, computed from its body at render time without queries: each block's
anchor and heading level, and the table of contents (chapters, sections, subheadings and
articles, nested). Anchors depend only on the document, not on block ids, so links such as
#article-12 survive a re-import: chapter-N, section-N, heading-N and table-N count blocks of
their kind; an article is article-{ordinal}, with -2, -3 ... if an ordinal repeats (documents
that bundle several rulebooks number each from 第一条)."""

import html
from dataclasses import dataclass, field

from django.utils.html import strip_tags

SNIPPET_LENGTH = 24
# Rank in the table of contents; subheadings rank with sections when there are chapters.
RANKS = {"chapter": 1, "section": 2, "subheading": 2, "article": 3}
PREFIXES = {"chapter": "chapter", "section": "section", "subheading": "heading", "table": "table"}


@dataclass
class Item:
    block: object  # a StreamValue child
    anchor: str = ""
    level: int = 2  # <h2>, <h3> for headings


@dataclass
class Entry:
    label: str
    anchor: str
    rank: int
    children: list["Entry"] = field(default_factory=list)


@dataclass
class Outline:
    items: list[Item]
    toc: list[Entry]
    toc_size: int


def build_outline(body) -> Outline:
    children = list(body)
    has_chapters = any(child.block_type == "chapter" for child in children)
    ranks = {**RANKS, "subheading": 2 if has_chapters else 1}
    items, entries = [], []
    for child, anchor in zip(children, block_anchors(body), strict=True):
        kind = child.block_type
        level = 3 if has_chapters and kind in ("section", "subheading") else 2
        items.append(Item(child, anchor, level))
        if kind in ranks:
            entries.append(Entry(_label(kind, child.value), anchor, ranks[kind]))
    return Outline(items=items, toc=_nest(entries), toc_size=len(entries))


def block_anchors(body) -> list[str]:
    """The anchor of each block ("" for none), read from the stored data alone: no block is
    converted, so the site search can link into a body without loading its images."""
    counters: dict[str, int] = {}
    used: set[str] = set()
    anchors = []
    for raw in body.raw_data:
        kind = raw["type"]
        anchor = ""
        if kind == "article":
            anchor = _unique(f"article-{raw['value']['ordinal']}", used)
        elif kind in PREFIXES:
            counters[kind] = counters.get(kind, 0) + 1
            anchor = _unique(f"{PREFIXES[kind]}-{counters[kind]}", used)
        anchors.append(anchor)
    return anchors


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 1
    while candidate in used:
        number += 1
        candidate = f"{anchor}-{number}"
    used.add(candidate)
    return candidate


def _label(kind: str, value) -> str:
    if kind != "article":
        return " ".join(part for part in (value["number"], value["title"]) if part)
    text = html.unescape(strip_tags(value["text"].source if value["text"] else "")).strip()
    if len(text) > SNIPPET_LENGTH:
        text = text[:SNIPPET_LENGTH] + "…"
    return f"{value['number']} {text}".strip()


def _nest(entries: list[Entry]) -> list[Entry]:
    """Each entry goes under the closest earlier entry of a higher rank."""
    roots: list[Entry] = []
    stack: list[Entry] = []
    for entry in entries:
        while stack and stack[-1].rank >= entry.rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(entry)
        stack.append(entry)
    return roots
