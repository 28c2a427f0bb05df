"""Reading the body's XML once, in document order, into paragraphs (text runs with emphasis,
pictures, style facts, automatic-numbering label), tables and table-of-contents markers. What
these mean for the document's structure is decided in parser.py.

Shown text only: deleted revisions, hidden text (w:vanish), field instructions and the result of
TOC fields are left out; inserted revisions, hyperlinks, content controls, smart tags and the
results of other fields are read. A TOC field opens in one paragraph and closes paragraphs later,
so field state lives across paragraphs. Text boxes and shapes are not read (their pictures are);
comments, footnotes, headers and footers live in other parts, which are never opened."""

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from importers.docx.numbering import Numbering, NumberLabel
from importers.docx.ooxml import MC, VML_OFFICE, WP, A, Element, R, V, W, int_val, toggle, val
from importers.docx.package import Package
from importers.docx.styles import BODY_OUTLINE_LEVEL, ParagraphStyle, Styles
from importers.docx.tree import Cell, DocxImportError, Image, Inline, Table

_P, _R, _T, _TBL, _TR, _TC = W + "p", W + "r", W + "t", W + "tbl", W + "tr", W + "tc"
_SDT, _SDT_CONTENT, _CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
_FLD_CHAR, _INSTR, _FLD_SIMPLE = W + "fldChar", W + "instrText", W + "fldSimple"
_ALTERNATE, _CHOICE = MC + "AlternateContent", MC + "Choice"
# Elements whose children are the paragraph's own runs.
_RUN_CONTAINERS = {W + name for name in ("hyperlink", "ins", "moveTo", "smartTag", "dir", "bdo")}
_RUN_CONTAINERS.add(_CUSTOM_XML)
_TEXT = {W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}
_LINE_BREAKS = {None, "textWrapping"}  # page and column breaks are layout, not text
MAX_COLUMNS = 63  # Word's limit; a larger w:gridSpan is damage


@dataclass
class RunText:
    """A paragraph's text as [text, bold, italic] parts, neighbours with equal flags merged."""

    parts: list[list] = field(default_factory=list)

    def add(self, text: str, bold: bool, italic: bool) -> None:
        if not text:
            return
        if self.parts and self.parts[-1][1] == bold and self.parts[-1][2] == italic:
            self.parts[-1][0] += text
        else:
            self.parts.append([text, bold, italic])

    @property
    def text(self) -> str:
        return "".join(part[0] for part in self.parts)

    def all_bold(self) -> bool:
        return all(bold for text, bold, _ in self.parts if text.strip())

    def inlines(self, skip: int = 0, prefix: str = "") -> list[Inline]:
        """The runs without their first `skip` characters, `prefix` put in front, and the
        whitespace at both ends (full-width included) removed."""
        parts = [list(part) for part in self.parts]
        while parts and skip:
            taken = min(skip, len(parts[0][0]))
            parts[0][0] = parts[0][0][taken:]
            skip -= taken
            if not parts[0][0]:
                parts.pop(0)
        if prefix and parts:
            parts[0][0] = prefix + parts[0][0]
        _strip_ends(parts)
        return [Inline(text, bold, italic) for text, bold, italic in parts]


@dataclass
class Paragraph:
    runs: RunText
    images: list[Image]
    style: ParagraphStyle
    heading: int | None  # outline level from the style or the paragraph itself
    centered: bool
    number: NumberLabel | None
    toc_starts: bool  # a TOC field begins in this paragraph


@dataclass
class TableOfContents:
    """A table-of-contents content control, skipped whole."""


@dataclass
class TableWithImages:
    table: Table
    images: list[Image]  # pictures in its cells, which a Cell cannot hold


BodyItem = Paragraph | TableWithImages | TableOfContents


class ContentReader:
    def __init__(self, package: Package, styles: Styles, numbering: Numbering):
        self._package = package
        self._styles = styles
        self._numbering = numbering
        self._relationships = package.relationships(package.main)
        self._images: dict[str, Image] = {}
        self._fields = _Fields()

    def body(self, container: Element) -> Iterator[BodyItem]:
        for child in container:
            tag = child.tag
            if tag == _P:
                yield self.paragraph(child)
            elif tag == _TBL:
                yield self.table(child)
            elif tag == _SDT:
                if _is_table_of_contents(child):
                    yield TableOfContents()
                else:
                    yield from self.body(_sdt_content(child))
            elif tag == _CUSTOM_XML:
                yield from self.body(child)

    def paragraph(self, element: Element) -> Paragraph:
        ppr = element.find(W + "pPr")
        style_id = num_id = ilvl = jc = outline = None
        if ppr is not None:
            style_id = val(ppr.find(W + "pStyle"))
            num_pr = ppr.find(W + "numPr")
            if num_pr is not None:
                num_id = val(num_pr.find(W + "numId"))
                ilvl = int_val(num_pr.find(W + "ilvl"))
            jc = val(ppr.find(W + "jc"))
            outline = int_val(ppr.find(W + "outlineLvl"))
        style = self._styles.paragraph(style_id)
        if num_id is None:
            num_id, ilvl = style.num_id, style.ilvl if ilvl is None else ilvl
        elif ilvl is None:
            ilvl = 0
        paragraph = Paragraph(
            runs=RunText(),
            images=[],
            style=style,
            heading=style.heading if outline is None else _heading_level(outline),
            centered=style.centered if jc is None else jc == "center",
            number=self._numbering.label(num_id, ilvl, style_id) if num_id else None,
            toc_starts=False,
        )
        self._inline(element, paragraph)
        return paragraph

    def table(self, element: Element) -> TableWithImages:
        images: list[Image] = []
        table = Table()
        above: dict[int, Cell] = {}  # grid column → the cell reaching down into this row
        for row in _children(element, _TR):
            trpr = row.find(W + "trPr")
            column = (int_val(trpr.find(W + "gridBefore")) or 0) if trpr is not None else 0
            cells: list[Cell] = []
            reaching: dict[int, Cell] = {}
            for cell_element in _children(row, _TC):
                span, continues = _cell_span(cell_element)
                origin = above.get(column)
                if continues and origin is not None and origin.colspan == span:
                    origin.rowspan += 1
                    reaching[column] = origin
                else:
                    cell = self._cell(cell_element, span, images)
                    cells.append(cell)
                    reaching[column] = cell
                column += span
            above = reaching
            table.rows.append(cells)
            if (
                trpr is not None
                and toggle(trpr.find(W + "tblHeader"))
                and table.header_rows == len(table.rows) - 1
            ):
                table.header_rows += 1
        if not table.header_rows and _first_row_is_bold(table):
            table.header_rows = 1
        return TableWithImages(table, images)

    def _cell(self, element: Element, span: int, images: list[Image]) -> Cell:
        cell = Cell(colspan=span)
        for child in _children(element, _P, _TBL):
            if child.tag == _TBL:
                nested = self.table(child)
                cell.tables.append(nested.table)
                images.extend(nested.images)
                continue
            paragraph = self.paragraph(child)
            prefix = paragraph.number.prefix() if paragraph.number else ""
            runs = paragraph.runs.inlines(prefix=prefix)
            if runs:
                cell.paragraphs.append(runs)
            images.extend(paragraph.images)
        return cell

    def _inline(self, parent: Element, paragraph: Paragraph) -> None:
        for child in parent:
            tag = child.tag
            if tag == _R:
                self._run(child, paragraph)
            elif tag in _RUN_CONTAINERS:
                self._inline(child, paragraph)
            elif tag == _SDT:
                self._inline(_sdt_content(child), paragraph)
            elif tag == _FLD_SIMPLE:
                if not child.get(W + "instr", "").strip().upper().startswith("TOC"):
                    self._inline(child, paragraph)
            elif tag == _ALTERNATE:
                self._inline(_choice(child), paragraph)
            # Anything else (pPr, w:del, w:moveFrom, bookmarks, comment marks, math) shows no text.

    def _run(self, run: Element, paragraph: Paragraph) -> None:
        bold, italic, hidden = self._run_properties(run, paragraph.style)
        for child in run:
            self._run_child(child, paragraph, bold, italic, hidden)

    def _run_child(
        self, child: Element, paragraph: Paragraph, bold: bool, italic: bool, hidden: bool
    ) -> None:
        tag = child.tag
        if tag == _FLD_CHAR:
            if self._fields.char(child.get(W + "fldCharType")):
                paragraph.toc_starts = True
        elif tag == _INSTR:
            self._fields.instruction(child.text or "")
        elif self._fields.hidden:
            return
        elif tag == _T:
            if not hidden:
                paragraph.runs.add(child.text or "", bold, italic)
        elif tag in _TEXT:
            if not hidden:
                paragraph.runs.add(_TEXT[tag], bold, italic)
        elif tag == W + "br":
            if not hidden and child.get(W + "type") in _LINE_BREAKS:
                paragraph.runs.add("\n", bold, italic)
        elif tag == W + "drawing":
            paragraph.images.extend(self._drawing_images(child))
        elif tag in (W + "pict", W + "object"):
            paragraph.images.extend(self._vml_images(child))
        elif tag == _ALTERNATE:
            for grandchild in _choice(child):
                self._run_child(grandchild, paragraph, bold, italic, hidden)

    def _run_properties(self, run: Element, style: ParagraphStyle) -> tuple[bool, bool, bool]:
        rpr = run.find(W + "rPr")
        if rpr is None:
            return bool(style.bold), bool(style.italic), False
        bold, italic = toggle(rpr.find(W + "b")), toggle(rpr.find(W + "i"))
        character_style = val(rpr.find(W + "rStyle"))
        if character_style and (bold is None or italic is None):
            style_bold, style_italic = self._styles.character(character_style)
            bold = style_bold if bold is None else bold
            italic = style_italic if italic is None else italic
        bold = style.bold if bold is None else bold
        italic = style.italic if italic is None else italic
        return bool(bold), bool(italic), bool(toggle(rpr.find(W + "vanish")))

    def _drawing_images(self, drawing: Element) -> list[Image]:
        images = []
        for frame in drawing:  # wp:inline or wp:anchor
            properties = frame.find(WP + "docPr")
            alt = ""
            if properties is not None:
                alt = (properties.get("descr") or properties.get("title") or "").strip()
            for blip in frame.iter(A + "blip"):
                rid = blip.get(R + "embed") or blip.get(R + "link")
                if rid:
                    images.append(self._image(rid, alt))
        return images

    def _vml_images(self, picture: Element) -> list[Image]:
        images = []
        for shape in picture.iter(V + "shape"):
            for data in shape.iter(V + "imagedata"):
                rid = data.get(R + "id")
                if rid:
                    alt = shape.get("alt") or data.get(VML_OFFICE + "title") or ""
                    images.append(self._image(rid, alt.strip()))
        return images

    def _image(self, rid: str, alt: str) -> Image:
        if rid in self._images:
            return self._images[rid]
        rel = self._relationships.get(rid)
        name = alt or rid
        if rel is None or (rel.type != RT.IMAGE and not rel.external):
            raise DocxImportError(
                f"文档中的图片“{name}”找不到（引用 {rid} 不存在），文件可能已损坏。"
            )
        if rel.external:
            raise DocxImportError(
                f"文档中的图片“{name}”链接到外部文件（{rel.target}），没有保存在文档里。"
                "请在 Word 中把图片嵌入文档（插入 → 图片，不选“链接到文件”）后再导入。"
            )
        filename = posixpath.basename(rel.target)
        if not self._package.has(rel.target):
            raise DocxImportError(
                f"文档中的图片“{alt or filename}”缺失（文件内找不到 {rel.target}），文件可能已损坏。"
                "请在 Word 中重新插入这张图片并保存后再导入。"
            )
        image = Image(
            data=self._package.read(rel.target),
            filename=filename,
            content_type=self._package.content_type(rel.target) or "application/octet-stream",
            alt=alt,
        )
        self._images[rid] = image
        return image


class _Fields:
    """Complex fields (w:fldChar begin / separate / end) as a stack, since fields nest: text is
    hidden while any open field is in its instruction, or shows a table of contents."""

    def __init__(self):
        self._stack: list[list] = []  # [instruction parts, in result, is TOC]
        self.hidden = False

    def char(self, kind: str | None) -> bool:
        """Track a w:fldChar; True when a table of contents' result begins."""
        toc_starts = False
        if kind == "begin":
            self._stack.append([[], False, False])
        elif kind == "separate" and self._stack:
            current = self._stack[-1]
            current[1] = True
            current[2] = toc_starts = "".join(current[0]).strip().upper().startswith("TOC")
        elif kind == "end" and self._stack:
            self._stack.pop()
        self.hidden = any(not in_result or toc for _, in_result, toc in self._stack)
        return toc_starts

    def instruction(self, text: str) -> None:
        if self._stack and not self._stack[-1][1]:
            self._stack[-1][0].append(text)


def _heading_level(outline: int) -> int | None:
    return outline + 1 if 0 <= outline < BODY_OUTLINE_LEVEL else None


def _children(parent: Element, *tags: str) -> Iterator[Element]:
    """Children with one of `tags`, looking through content controls and custom XML, which may
    wrap rows, cells and paragraphs."""
    for child in parent:
        if child.tag == _SDT:
            yield from _children(_sdt_content(child), *tags)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, *tags)
        elif child.tag in tags:
            yield child


def _sdt_content(sdt: Element) -> Element | list:
    content = sdt.find(_SDT_CONTENT)
    return [] if content is None else content


def _choice(alternate: Element) -> Element | list:
    """The first choice of mc:AlternateContent; its fallback repeats the same content."""
    choice = alternate.find(_CHOICE)
    return [] if choice is None else choice


def _is_table_of_contents(sdt: Element) -> bool:
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return val(gallery, "") == "Table of Contents"


def _cell_span(cell: Element) -> tuple[int, bool]:
    """The cell's grid span and whether it continues a vertical merge from the row above."""
    tcpr = cell.find(W + "tcPr")
    if tcpr is None:
        return 1, False
    merge = tcpr.find(W + "vMerge")
    continues = merge is not None and val(merge, "continue") != "restart"
    span = min(max(int_val(tcpr.find(W + "gridSpan")) or 1, 1), MAX_COLUMNS)
    return span, continues


def _first_row_is_bold(table: Table) -> bool:
    """Without rows marked to repeat as a header, a first row set all in bold is one."""
    if len(table.rows) < 2 or not table.rows[0]:
        return False
    cells = table.rows[0]
    return all(cell.paragraphs for cell in cells) and all(
        inline.bold
        for cell in cells
        for runs in cell.paragraphs
        for inline in runs
        if inline.text.strip()
    )


def _strip_ends(parts: list[list]) -> None:
    while parts and not parts[0][0].strip():
        parts.pop(0)
    while parts and not parts[-1][0].strip():
        parts.pop()
    if parts:
        parts[0][0] = parts[0][0].lstrip()
        parts[-1][0] = parts[-1][0].rstrip()
