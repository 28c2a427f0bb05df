"""A .docx upload → the document tree of importers.docx.tree, or DocxImportError with a Chinese
message that names the problem (and no partial result).

    parse_docx(data, filename="供热管理办法.docx") -> Document

package.py opens the file safely, content.py reads the body once in document order, and this
module decides what each paragraph is, in this order:

0. A cover title set one character per paragraph (竞 / 争 / 性 / …) before any other text →
   the document title, the characters joined (_Builder._on_cover says when, and why).
1. Title style → the document title (later ones: level-1 headings).
2. A 第X章 / 第X节 label → Heading level 1 / 2 with number "第X章" and the rest as title; a 第X条
   label → Article with its ordinal; whether typed or rendered by automatic numbering (see
   labels.py). Typed table-of-contents lines ("第一章 总则……1") are dropped.
3. A heading style or outline level (styles.py) → Heading: levels 1, 2, 3 and deeper as 3, with
   number "" (an unnumbered top-level heading is a chapter in all but name).
4. Inside an article, any other paragraph belongs to it, list markers and all, until the next
   heading, article, table or picture, or a paragraph that looks like a heading.
5. A list marker ("1." "1、" "（一）" "(1)" "①", typed or automatic) → an ordered ListBlock item;
   a bullet → an unordered one. A list starts at 1 and goes on while the marker style stays the
   same and the number goes up by one; a lone item, or one out of sequence, stays a Paragraph
   with its marker, so no number is lost.
6. A short paragraph (at most 30 characters, no closing punctuation) that is centered or all
   bold "looks like a heading": the title if nothing but a couple of short paragraphs came
   before it, else a level-3 Heading.
7. Anything else → Paragraph.

A table of contents (a TOC field, a "Table of Contents" content control, TOC-styled entries) is
skipped, with a "目录" line right before it: the page builds its own.

The title is whichever comes first of: the cover title of rule 0, the Title-styled paragraph,
the heading-like paragraph of rule 6; else the file name without its extension, else "" (the
caller asks for one)."""

import posixpath
import unicodedata

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from importers.docx.content import (
    BodyItem,
    ContentReader,
    Paragraph,
    TableOfContents,
    TableWithImages,
)
from importers.docx.labels import Label, is_toc_line, rendered_label, typed_label
from importers.docx.numbering import Numbering
from importers.docx.package import Package
from importers.docx.styles import Styles
from importers.docx.tree import (
    Article,
    Block,
    Document,
    DocxImportError,
    Heading,
    Image,
    Inline,
    ListBlock,
    Runs,
)
from importers.docx.tree import Paragraph as ParagraphBlock

MAX_BYTES = 20 * 1024 * 1024
STRUCTURE_LEVELS = {"chapter": 1, "section": 2}
DEEPEST_HEADING = 3
HEADING_LIKE_MAX = 30
COVER_TITLE_MIN = 2  # one-character paragraphs in a row that spell a cover title
_IDEOGRAPHS = ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
_LEAD_IN_END = set("。；;：:，,！!？?、")
_TOC_HEADINGS = {"目录", "目次", "contents", "tableofcontents"}


def parse_docx(data: bytes, *, filename: str = "", max_bytes: int = MAX_BYTES) -> Document:
    package = Package(data, max_bytes)
    body = package.document_body()
    styles = Styles(package.related_xml(RT.STYLES))
    numbering = Numbering(package.related_xml(RT.NUMBERING), styles)
    reader = ContentReader(package, styles, numbering)
    builder = _Builder()
    for item in reader.body(body):
        builder.add(item)
    return builder.document(filename)


class _PendingList:
    def __init__(self, label: Label, item: Runs, original: Runs):
        self.ordered = label.kind == "ordered"
        self.style = label.style
        self.last = label.value
        self.items = [item]
        self.originals = [original]

    def continues(self, label: Label) -> bool:
        if (label.kind == "ordered") != self.ordered:
            return False
        return not self.ordered or (label.style == self.style and label.value == self.last + 1)

    def add(self, label: Label, item: Runs, original: Runs) -> None:
        self.last = label.value
        self.items.append(item)
        self.originals.append(original)

    def block(self) -> Block:
        if self.ordered and len(self.items) == 1:
            return ParagraphBlock(self.originals[0])
        return ListBlock(ordered=self.ordered, items=self.items)


class _Builder:
    def __init__(self):
        self.blocks: list[Block] = []
        self.title: str | None = None
        self._article: Article | None = None
        self._list: _PendingList | None = None
        self._cover: list[Paragraph] = []

    def add(self, item: BodyItem) -> None:
        if isinstance(item, Paragraph) and self._on_cover(item):
            return
        self._end_cover()
        if isinstance(item, TableOfContents):
            self._drop_toc_heading()
        elif isinstance(item, TableWithImages):
            self._emit(item.table)
            self._images(item.images)
        else:
            if item.toc_starts:
                self._drop_toc_heading()
            if not item.style.toc:
                self._text(item)
            self._images(item.images)

    def document(self, filename: str) -> Document:
        self._end_cover()
        self._flush_list()
        if not self.blocks:
            raise DocxImportError(
                "文档没有任何内容：正文是空的（目录、页眉页脚、批注和脚注不导入）。"
            )
        return Document(title=self.title or _stem(filename), blocks=self.blocks)

    def _on_cover(self, paragraph: Paragraph) -> bool:
        """Takes a paragraph that may be one character of a cover title, or a blank one; True if
        it did.

        Cover pages of Chinese government documents often set the title vertically, one
        character per paragraph (竞 / 争 / 性 / 谈 / 判 / 文 / 件), large and centred or pushed to
        the middle with full-width spaces, with blank paragraphs between the characters for
        spacing. Read one paragraph at a time, "竞" would be the title and the other characters
        stray headings or paragraphs. So, at the very top of the document, before any other
        text, paragraphs that are each one Chinese character (whitespace aside) are held back,
        and blank paragraphs between them skipped. Once something else comes (the issuing body,
        the date, a page break and the body, a table), two or more held characters are joined
        into the title and never reach the body; a lone one is read as any paragraph.

        Neither centring nor bold is required (the size that marks a cover is not read, and
        characters pushed to the middle with spaces have neither): two lines of a single
        character in a row opening a document have no other reading. After any other text,
        even rule 6's "附件1" before a title, they are never looked at: there they may be a
        body's list (评议结果分为： / 优 / 良 / 中 / 差). A paragraph with automatic numbering or a
        picture is not a bare character. Lines of two characters or more are never joined,
        although a cover may split its title "竞争性" / "谈判文件": text alone cannot tell that
        from a short title and its first heading ("章程" / "总则") or a title and its subtitle,
        so they stay what rule 6 makes them and the editor corrects the title in the import
        preview."""
        if (
            self.title is not None
            or self.blocks
            or self._list is not None
            or paragraph.images
            or paragraph.number is not None
            or paragraph.toc_starts
            or paragraph.style.toc
        ):
            return False
        text = "".join(paragraph.runs.text.split())
        if not text:
            return True  # a blank line, of the cover or not: nothing to read
        if len(text) == 1 and unicodedata.name(text, "").startswith(_IDEOGRAPHS):
            self._cover.append(paragraph)
            return True
        return False

    def _end_cover(self) -> None:
        cover, self._cover = self._cover, []
        if len(cover) >= COVER_TITLE_MIN:
            self.title = "".join("".join(paragraph.runs.text.split()) for paragraph in cover)
        else:
            for paragraph in cover:
                self._text(paragraph)

    def _text(self, paragraph: Paragraph) -> None:
        text = paragraph.runs.text
        stripped = text.strip()
        if not stripped:
            return
        if paragraph.style.title:
            self._title_style(paragraph)
            return
        label, skip = _label(paragraph, text)
        if label and label.kind in STRUCTURE_LEVELS:
            if is_toc_line(stripped):
                self._drop_toc_heading()
            else:
                title = _plain(paragraph.runs.inlines(skip))
                self._emit(Heading(STRUCTURE_LEVELS[label.kind], label.number, title))
        elif label and label.kind == "article":
            rest = paragraph.runs.inlines(skip)
            self._emit(Article(label.number, label.value, [rest] if rest else []))
        elif paragraph.heading:
            level = min(paragraph.heading, DEEPEST_HEADING)
            self._emit(Heading(level, "", _plain(_full(paragraph))))
        else:
            self._body_text(paragraph, label, skip)

    def _body_text(self, paragraph: Paragraph, label: Label | None, skip: int) -> None:
        heading_like = _looks_like_heading(paragraph)
        if self._article is not None and not heading_like:
            self._article.paragraphs.append(_full(paragraph))
        elif label is not None:  # a list marker: structure labels were handled before
            self._list_item(label, paragraph.runs.inlines(skip), _full(paragraph))
        elif heading_like:
            text = _plain(_full(paragraph))
            if self.title is None and self._title_may_come() and not _is_toc_heading(text):
                self.title = text
            else:
                self._emit(Heading(DEEPEST_HEADING, "", text))
        else:
            self._emit(ParagraphBlock(_full(paragraph)))

    def _title_style(self, paragraph: Paragraph) -> None:
        text = _plain(_full(paragraph))
        if self.title is None:
            self.title = text
        else:
            self._emit(Heading(1, "", text))

    def _title_may_come(self) -> bool:
        """The title comes first, after at most a couple of short lines such as "附件1"."""
        return (
            self._list is None
            and len(self.blocks) <= 2
            and all(isinstance(block, ParagraphBlock) for block in self.blocks)
        )

    def _list_item(self, label: Label, item: Runs, original: Runs) -> None:
        if self._list is not None and self._list.continues(label):
            self._list.add(label, item, original)
            return
        self._flush_list()
        if label.kind == "bullet" or label.value == 1:
            self._list = _PendingList(label, item, original)
        else:
            self._emit(ParagraphBlock(original))

    def _images(self, images: list[Image]) -> None:
        for image in images:
            self._emit(image)

    def _emit(self, block: Block) -> None:
        self._flush_list()
        self._article = block if isinstance(block, Article) else None
        self.blocks.append(block)

    def _flush_list(self) -> None:
        if self._list is not None:
            self.blocks.append(self._list.block())
            self._list = None

    def _drop_toc_heading(self) -> None:
        self._flush_list()
        if not self.blocks:
            return
        last = self.blocks[-1]
        if isinstance(last, Heading) and _is_toc_heading(last.title):
            self.blocks.pop()
        elif isinstance(last, ParagraphBlock) and _is_toc_heading(_plain(last.runs)):
            self.blocks.pop()
        self._article = None


def _label(paragraph: Paragraph, text: str) -> tuple[Label | None, int]:
    """The paragraph's label and how many characters of its text it takes (0 when automatic
    numbering shows it, since it is then not part of the text)."""
    if paragraph.number is not None:
        return rendered_label(paragraph.number.text, paragraph.number.bullet), 0
    lead = len(text) - len(text.lstrip())
    label = typed_label(text[lead:])
    return label, (lead + label.length if label else 0)


def _full(paragraph: Paragraph) -> Runs:
    """The paragraph's runs with its automatic number, if any, in front."""
    prefix = paragraph.number.prefix() if paragraph.number else ""
    return paragraph.runs.inlines(prefix=prefix)


def _looks_like_heading(paragraph: Paragraph) -> bool:
    text = paragraph.runs.text.strip()
    return (
        len(text) <= HEADING_LIKE_MAX
        and text[-1] not in _LEAD_IN_END
        and "\n" not in text
        and (paragraph.centered or paragraph.runs.all_bold())
    )


def _is_toc_heading(text: str) -> bool:
    return "".join(text.split()).lower() in _TOC_HEADINGS


def _plain(runs: list[Inline]) -> str:
    return "".join(inline.text for inline in runs)


def _stem(filename: str) -> str:
    """ "供热管理办法" for "C:\\fakepath\\供热管理办法.docx"."""
    name = posixpath.basename(filename.replace("\\", "/"))
    return posixpath.splitext(name)[0].strip()
