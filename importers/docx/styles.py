"""Paragraph and character styles from word/styles.xml, each resolved through its basedOn chain
once, so the body walk looks a style up in a dict.

Headings are recognised by what Word, WPS and LibreOffice write, not by one producer's ids:
the built-in names ("heading 1", which Word writes whatever the interface language, and
WPS's "标题 1"), the ids ("Heading1"; Chinese Word's ids are "1", "2"… so the name decides),
an outline level (w:outlineLvl 0–8; 9 is body text), and inheritance from any of these
(a custom "章标题" based on "heading 1" is a level-1 heading)."""

import re
from dataclasses import dataclass, replace

from importers.docx.ooxml import Element, W, int_val, toggle, val

_HEADING = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TOC = re.compile(r"^(?:toc|目录)\s*(?:[1-9]|heading|标题)$", re.IGNORECASE)
_TITLES = {"title", "标题"}
BODY_OUTLINE_LEVEL = 9  # w:outlineLvl 9: body text, not a heading


@dataclass(frozen=True)
class ParagraphStyle:
    heading: int | None = None  # outline level 1–9 of a heading style
    title: bool = False
    toc: bool = False  # a table-of-contents entry or its heading
    centered: bool = False
    bold: bool | None = None
    italic: bool | None = None
    num_id: str | None = None  # automatic numbering the style carries
    ilvl: int | None = None


@dataclass(frozen=True)
class _Own:
    """What a style sets itself, before inheritance."""

    based_on: str | None
    heading: int | None  # 0 = explicitly not a heading (outline level 9)
    title: bool
    toc: bool
    jc: str | None
    bold: bool | None
    italic: bool | None
    num_id: str | None
    ilvl: int | None


class Styles:
    def __init__(self, root: Element | None):
        self._own: dict[str, _Own] = {}
        self._resolved: dict[str, ParagraphStyle] = {}
        self._default_paragraph: str | None = None
        if root is not None:
            self._read(root)

    def paragraph(self, style_id: str | None) -> ParagraphStyle:
        style_id = style_id or self._default_paragraph
        if style_id is None:
            return ParagraphStyle()
        if style_id not in self._resolved:
            self._resolved[style_id] = self._resolve(style_id, set())
        return self._resolved[style_id]

    def character(self, style_id: str) -> tuple[bool | None, bool | None]:
        """Bold and italic that a character style (w:rStyle) gives, None where it is silent."""
        style = self.paragraph(style_id)
        return style.bold, style.italic

    def num_id(self, style_id: str) -> str | None:
        """The numbering instance a numbering style stands for (abstractNum numStyleLink)."""
        own = self._own.get(style_id)
        return own.num_id if own else None

    def _read(self, root: Element) -> None:
        for style in root.iterchildren(W + "style"):
            style_id = style.get(W + "styleId")
            if not style_id:
                continue
            if style.get(W + "type") == "paragraph" and toggle(style.find(W + "default")):
                self._default_paragraph = style_id
            self._own[style_id] = _own_properties(style_id, style)

    def _resolve(self, style_id: str, seen: set[str]) -> ParagraphStyle:
        own = self._own.get(style_id) or _unknown(style_id)
        seen.add(style_id)
        parent = ParagraphStyle()
        if own.based_on and own.based_on not in seen:
            parent = self._resolve(own.based_on, seen)
        heading = parent.heading if own.heading is None else (own.heading or None)
        return replace(
            parent,
            heading=heading,
            title=own.title or parent.title,
            toc=own.toc or parent.toc,
            centered=parent.centered if own.jc is None else own.jc == "center",
            bold=parent.bold if own.bold is None else own.bold,
            italic=parent.italic if own.italic is None else own.italic,
            num_id=own.num_id or parent.num_id,
            ilvl=parent.ilvl if own.ilvl is None else own.ilvl,
        )


def _own_properties(style_id: str, style: Element) -> _Own:
    name = val(style.find(W + "name"), "") or ""
    ppr = style.find(W + "pPr")
    rpr = style.find(W + "rPr")
    num_pr = ppr.find(W + "numPr") if ppr is not None else None
    outline = int_val(ppr.find(W + "outlineLvl")) if ppr is not None else None
    heading = _heading_from_names(style_id, name)
    if outline is not None:
        heading = outline + 1 if outline < BODY_OUTLINE_LEVEL else 0
    return _Own(
        based_on=val(style.find(W + "basedOn")),
        heading=heading,
        title=name.strip().lower() in _TITLES or style_id.lower() == "title",
        toc=bool(_TOC.match(name.strip()) or _TOC.match(style_id)),
        jc=val(ppr.find(W + "jc")) if ppr is not None else None,
        bold=toggle(rpr.find(W + "b")) if rpr is not None else None,
        italic=toggle(rpr.find(W + "i")) if rpr is not None else None,
        num_id=val(num_pr.find(W + "numId")) if num_pr is not None else None,
        ilvl=int_val(num_pr.find(W + "ilvl")) if num_pr is not None else None,
    )


def _heading_from_names(style_id: str, name: str) -> int | None:
    match = _HEADING.match(name.strip()) or _HEADING.match(style_id)
    return int(match.group(1)) if match else None


def _unknown(style_id: str) -> _Own:
    """A style the document names but does not define: its id is all there is to go by."""
    return _Own(
        based_on=None,
        heading=_heading_from_names(style_id, ""),
        title=style_id.lower() == "title",
        toc=bool(_TOC.match(style_id)),
        jc=None,
        bold=None,
        italic=None,
        num_id=None,
        ilvl=None,
    )
