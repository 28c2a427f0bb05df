"""The document tree a .docx becomes: plain data, no Word and no database. The regulations app
turns it into a page; the parser (importers.docx.parser) builds it."""

from dataclasses import dataclass, field


class DocxImportError(ValueError):
    """A file that cannot be imported; the message is Chinese and names the problem."""


@dataclass(frozen=True)
class Inline:
    """A run of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


Runs = list[Inline]


@dataclass
class Heading:
    """第X章 (level 1) or 第X节 (level 2), with `number` "第一章"; or a heading without such a
    number, at its Word heading level (1–3, deeper ones as 3), with `number` ""."""

    level: int
    number: str
    title: str


@dataclass
class Article:
    """第X条: `ordinal` is its number as an integer (12 for 第十二条), for the anchor #article-12.
    `paragraphs` are its text, the first one without the "第十二条" label."""

    number: str
    ordinal: int
    paragraphs: list[Runs] = field(default_factory=list)


@dataclass
class Paragraph:
    runs: Runs


@dataclass
class ListBlock:
    ordered: bool
    items: list[Runs] = field(default_factory=list)


@dataclass
class Cell:
    paragraphs: list[Runs] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1
    tables: list["Table"] = field(default_factory=list)  # nested tables, in order


@dataclass
class Table:
    """Rows of cells; a merged cell appears once with its colspan / rowspan, the cells it
    covers are left out (as in HTML)."""

    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0


@dataclass
class Image:
    data: bytes
    filename: str
    content_type: str
    alt: str = ""


Block = Heading | Article | Paragraph | ListBlock | Table | Image


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def count(self, kind: type, level: int | None = None) -> int:
        return sum(
            1
            for block in self.blocks
            if isinstance(block, kind) and (level is None or getattr(block, "level", None) == level)
        )

    @property
    def stats(self) -> dict[str, int]:
        return {
            "chapters": self.count(Heading, 1),
            "sections": self.count(Heading, 2),
            "articles": self.count(Article),
            "tables": self.count(Table),
            "images": self.count(Image),
        }
