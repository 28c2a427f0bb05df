"""The labels that start a paragraph: 第X章 / 第X节 / 第X条, list markers such as "1." "1、"
"（一）" "(1)" "①", and bullets; whether typed by hand or rendered by Word's automatic numbering.

Separators after a typed label may be half- or full-width: spaces (U+3000 included), "：" ":"
"." "．" "、" "，" ",". With no separator at all ("第一条为了……") the label still counts, unless
the next character shows the paragraph merely starts by citing an article ("第十条规定的……",
"第三条至第五条……", "第三条之一" is an inserted article, not article 3)."""

import re
from dataclasses import dataclass

from importers.docx.numerals import CHINESE_NUMERAL_CHARS, digits_to_ascii, parse_number

KINDS = {"章": "chapter", "节": "section", "条": "article"}
_NUMBER = rf"[{CHINESE_NUMERAL_CHARS}]+|[0-9０-９]+"
_STRUCTURE = re.compile(rf"第[ \u3000]*({_NUMBER})[ \u3000]*([章节条])")
_SEPARATOR = re.compile(r"\s*(?:[:：.．、，,](?![0-9]))?\s*")
_CITATION_NEXT = set("至到和及或与的中所规款项第之")
_TITLE_END = set("。；;！!？?")
MAX_HEADING_TITLE = 40

_CN = "一二三四五六七八九十"
# (style, pattern): a list continues only while the style stays the same.
_ORDERED = (
    ("（一）", re.compile(rf"[(（]([{_CN}]+)[)）]")),
    ("（1）", re.compile(r"[(（]([0-9０-９]+)[)）]")),
    ("一、", re.compile(rf"([{_CN}]+)、")),
    ("1、", re.compile(r"([0-9０-９]+)、")),
    ("1.", re.compile(r"([0-9０-９]+)[.．](?![0-9０-９])")),
    ("1)", re.compile(r"([0-9０-９]+)[)）]")),
    ("①", re.compile(r"([\u2460-\u2473])")),
)
_BULLET = re.compile(r"(?:[•●○◆◇■□▪·\uf0b7\uf0a7\uf06c\uf0d8\uf0fc]|[-*](?=\s))")
# A typed table of contents line: "第一章 总则 ……… 1", "第二节 范围\t3".
_TOC_LINE = re.compile(r"(?:[.…·．_]{3,}|\t)\s*[0-9]+\s*$")


@dataclass(frozen=True)
class Label:
    kind: str  # "chapter" | "section" | "article" | "ordered" | "bullet"
    number: str  # "第十二条" as written (digits made half-width), the marker for lists
    value: int  # 12 for 第十二条; 0 for bullets
    style: str = ""  # the list marker's style, "" for 章/节/条 and bullets
    length: int = 0  # characters the label and its separator take in the typed text


def typed_label(text: str) -> Label | None:
    """The label `text` (a paragraph with leading space removed) starts with, if any."""
    return _structure_label(text) or _list_label(text)


def rendered_label(text: str, bullet: bool) -> Label | None:
    """What a label rendered by automatic numbering ("第一条", "（三）", "1.") is."""
    text = text.strip()
    if bullet:
        return Label("bullet", text, 0, length=len(text))
    label = typed_label(text)
    if label is None or label.length < len(text):
        return None
    return label


def is_toc_line(text: str) -> bool:
    return bool(_TOC_LINE.search(text))


def _structure_label(text: str) -> Label | None:
    match = _STRUCTURE.match(text)
    if not match:
        return None
    value = parse_number(match.group(1))
    if not value:
        return None
    separator = _SEPARATOR.match(text, match.end())
    rest = text[separator.end() :]
    if separator.end() == match.end() and rest and rest[0] in _CITATION_NEXT:
        return None
    kind = KINDS[match.group(2)]
    if kind != "article" and not _looks_like_title(rest):
        return None
    number = f"第{digits_to_ascii(match.group(1))}{match.group(2)}"
    return Label(kind, number, value, length=separator.end())


def _looks_like_title(text: str) -> bool:
    return len(text) <= MAX_HEADING_TITLE and not any(char in _TITLE_END for char in text)


def _list_label(text: str) -> Label | None:
    for style, pattern in _ORDERED:
        match = pattern.match(text)
        if match:
            value = parse_number(match.group(1)) if style != "①" else ord(match.group(1)) - 0x245F
            if value:
                end = _spaces_end(text, match.end())
                return Label("ordered", match.group(0), value, style, end)
    match = _BULLET.match(text)
    if match:
        return Label("bullet", match.group(0), 0, length=_spaces_end(text, match.end()))
    return None


def _spaces_end(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index
