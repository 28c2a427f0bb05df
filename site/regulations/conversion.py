"""The document tree (importers.docx.tree) as the raw data of a RegulationPage body.

Block ids are derived from the regulation's key and the block's place in the document
(article-12, table-2, paragraph 3 after article 12 ...), not random: a re-import gives the same
article the same id, so Wagtail's revision comparison shows what changed inside it instead of
every block deleted and added again."""

import re
import uuid
from datetime import date
from itertools import groupby

from django.utils.html import escape
from django.utils.translation import gettext as _

from importers.docx.tree import (
    Article,
    Cell,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Runs,
    Table,
)

ID_NAMESPACE = uuid.UUID("6f1c1a52-0f5e-4b8e-9a57-3f0e2d7c9b11")
HEADING_KINDS = {1: "chapter", 2: "section", 3: "subheading"}
CAPTION_MAX = 30
SENTENCE_ENDINGS = ("。", "；", ";", "：", ":", "，", ",")
EFFECTIVE_DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起?\s*(?:施行|执行|实施|生效)"
)


def runs_html(runs: Runs) -> str:
    """Runs as Wagtail rich text inline HTML: <b>, <i>, and <br/> for line breaks."""
    parts = []
    for (bold, italic), group in groupby(runs, key=lambda run: (run.bold, run.italic)):
        text = escape("".join(run.text for run in group)).replace("\n", "<br/>")
        if text and bold:
            text = f"<b>{text}</b>"
        if text and italic:
            text = f"<i>{text}</i>"
        parts.append(text)
    return "".join(parts)


def plain_text(runs: Runs) -> str:
    return "".join(run.text for run in runs).strip()


def paragraphs_html(paragraphs: list[Runs]) -> str:
    return "".join(f"<p>{runs_html(runs)}</p>" for runs in paragraphs if plain_text(runs))


class StreamBuilder:
    """Walks the tree once; `image_ids` holds, per Image block in document order, the id of
    the Wagtail image made from it, or None if it was left out."""

    def __init__(self, document: Document, key: str, image_ids: list[int | None]):
        self.document, self.key = document, key
        self.image_ids = iter(image_ids)
        self.place = "start"  # the last structural block, for ids of the blocks after it
        self.counters: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.tables = 0

    def build(self) -> list[dict]:
        blocks = self.document.blocks
        captions = {
            index + 1: plain_text(block.runs)
            for index, block in enumerate(blocks[:-1])
            if isinstance(block, Paragraph)
            and isinstance(blocks[index + 1], Table)
            and _is_title_like(plain_text(block.runs))
        }
        stream = []
        for index, block in enumerate(blocks):
            if index + 1 in captions:
                continue  # the title line above a table becomes its caption
            caption = captions.get(index)
            if caption is None and index and isinstance(blocks[index - 1], Heading):
                caption = blocks[index - 1].title
            item = self.convert(block, caption)
            if item is not None:
                stream.append(item)
        return stream

    def convert(self, block, caption: str | None) -> dict | None:
        match block:
            case Heading(level=level, number=number, title=title):
                kind = HEADING_KINDS.get(level, "subheading")
                self.place = f"{kind}-{self._count(kind)}"
                return self._item(kind, {"number": number, "title": title}, self.place)
            case Article(number=number, ordinal=ordinal, paragraphs=paragraphs):
                self.place = f"article-{ordinal}"
                value = {"number": number, "ordinal": ordinal, "text": paragraphs_html(paragraphs)}
                return self._item("article", value, self.place)
            case Paragraph(runs=runs):
                if not plain_text(runs):
                    return None
                return self._item("paragraph", f"<p>{runs_html(runs)}</p>")
            case ListBlock(ordered=ordered, items=items):
                items = [f"<p>{runs_html(runs)}</p>" for runs in items if plain_text(runs)]
                if not items:
                    return None
                key = self._next_key("list")
                value = {"ordered": ordered, "items": self._list(items, key)}
                return self._item("list", value, key)
            case Table():
                self.tables += 1
                key = self._next_key("table")
                value = self._table(
                    block, key, caption or _("表%(number)s") % {"number": self.tables}
                )
                return self._item("table", value, key)
            case Image(alt=alt):
                image_id = next(self.image_ids)
                if image_id is None:
                    return None
                return self._item("image", {"image": image_id, "alt": alt})
        return None

    def _count(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def _next_key(self, kind: str) -> str:
        return f"{self.place}/{kind}-{self._count(f'{self.place}/{kind}')}"

    def _id(self, key: str) -> str:
        candidate, number = key, 1
        while candidate in self.used_ids:
            number += 1
            candidate = f"{key}#{number}"
        self.used_ids.add(candidate)
        return str(uuid.uuid5(ID_NAMESPACE, f"{self.key}/{candidate}"))

    def _item(self, kind: str, value, key: str | None = None) -> dict:
        return {"type": kind, "value": value, "id": self._id(key or self._next_key(kind))}

    def _list(self, values: list, key: str) -> list[dict]:
        return [
            {"type": "item", "value": value, "id": self._id(f"{key}/{number}")}
            for number, value in enumerate(values, start=1)
        ]

    def _table(self, table: Table, key: str, caption: str | None, nested: bool = False) -> dict:
        rows = []
        for row_number, row in enumerate(table.rows):
            cells = []
            for cell in row:
                value = _cell(cell, header=row_number < table.header_rows, flatten=nested)
                if not nested:
                    value["tables"] = self._list(
                        [
                            self._table(inner, f"{key}/{row_number}/{len(cells)}/t", None, True)
                            for inner in cell.tables
                        ],
                        f"{key}/{row_number}/{len(cells)}/tables",
                    )
                cells.append(value)
            rows.append(cells)
        return {
            "caption": caption or "",
            "rows": self._list(
                [self._list(cells, f"{key}/r{number}") for number, cells in enumerate(rows)],
                f"{key}/rows",
            ),
        }


def to_stream(document: Document, key: str, image_ids: list[int | None]) -> list[dict]:
    return StreamBuilder(document, key, image_ids).build()


def _cell(cell: Cell, header: bool, flatten: bool) -> dict:
    lines = [plain_text(runs) for runs in cell.paragraphs]
    if flatten:  # tables nested two deep: their text, a row per line
        lines += [_table_text(inner) for inner in cell.tables]
    return {
        "text": "\n".join(line for line in lines if line),
        "header": header,
        "colspan": max(cell.colspan, 1),
        "rowspan": max(cell.rowspan, 1),
    }


def _table_text(table: Table) -> str:
    return "\n".join(
        " | ".join(_cell(cell, False, True)["text"].replace("\n", " ") for cell in row)
        for row in table.rows
    )


def _is_title_like(text: str) -> bool:
    return 0 < len(text) <= CAPTION_MAX and not text.endswith(SENTENCE_ENDINGS)


def find_effective_date(document: Document) -> date | None:
    """The date in the last "自2024年5月20日起施行" of the text, if any."""
    found = None
    for block in document.blocks:
        match block:
            case Article(paragraphs=paragraphs):
                texts = [plain_text(runs) for runs in paragraphs]
            case Paragraph(runs=runs):
                texts = [plain_text(runs)]
            case _:
                continue
        for text in texts:
            for year, month, day in EFFECTIVE_DATE.findall(text):
                try:
                    found = date(int(year), int(month), int(day))
                except ValueError:
                    continue
    return found


def count_blocks(stream: list[dict]) -> dict[str, int]:
    kinds = [item["type"] for item in stream]
    return {
        "chapters": kinds.count("chapter"),
        "sections": kinds.count("section"),
        "articles": kinds.count("article"),
        "tables": kinds.count("table"),
        "images": kinds.count("image"),
    }
