"""Document trees built by hand (what importers.docx.parser makes of a .docx), and regulation
pages imported from them."""

import io
import itertools

import docx
from PIL import Image as PillowImage
from wagtail.models import Page

from importers.docx.tree import (
    Article,
    Cell,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Table,
)
from regulations.importer import import_document
from regulations.models import RegulationIndexPage, RegulationPage

_colours = itertools.count(1)
CHINESE_NUMBERS = "零一二三四五六七八九十"


def chinese_number(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for test documents)."""
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else CHINESE_NUMBERS[tens]) + "十" if tens else ""
    return text + (CHINESE_NUMBERS[ones] if ones else "")


def text(value: str, *, bold: bool = False) -> list[Inline]:
    return [Inline(value, bold=bold)]


def article(ordinal: int, body: str = "", *more: str) -> Article:
    body = body or f"第{ordinal}条的内容。"
    return Article(
        number=f"第{chinese_number(ordinal)}条",
        ordinal=ordinal,
        paragraphs=[text(body), *(text(paragraph) for paragraph in more)],
    )


def png(size=(4, 3)) -> bytes:
    """A small PNG of a colour no other call returns, so every image is a new file."""
    number = next(_colours)
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (number % 256, number // 256 % 256, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def spans_table() -> Table:
    """A header row, a cell spanning two columns, one spanning two rows, a nested table."""
    inner = Table(rows=[[Cell([text("内表甲")]), Cell([text("内表乙")])]])
    return Table(
        header_rows=1,
        rows=[
            [Cell([text("序号")]), Cell([text("服务项目")]), Cell([text("时限")])],
            [Cell([text("1")], rowspan=2), Cell([text("新建小区开户")], colspan=2)],
            [Cell([text("报修")]), Cell([text("4小时")], tables=[inner])],
        ],
    )


def rulebook(title: str = "供热服务管理办法", *, articles: int = 4, chapters: int = 2) -> Document:
    """Chapters of articles, then a section, a list, a captioned table and an image."""
    blocks: list = [Paragraph([Inline("为规范供热服务，", bold=True), Inline("制定本办法。")])]
    ordinal = 0
    for chapter in range(1, chapters + 1):
        blocks.append(Heading(1, f"第{chinese_number(chapter)}章", f"第{chapter}章标题"))
        for _ in range(articles // chapters):
            ordinal += 1
            blocks.append(article(ordinal))
    blocks += [
        Heading(2, "第一节", "服务时限"),
        ListBlock(ordered=True, items=[text("受理"), text("办结")]),
        Paragraph(text("业务办理时限")),
        spans_table(),
        Image(data=png(), filename="image1.png", content_type="image/png", alt="客服中心位置图"),
        article(ordinal + 1, "本办法自2024年5月20日起施行。"),
    ]
    return Document(title=title, blocks=blocks)


def word_file() -> bytes:
    """A real (empty) .docx, for code that checks what a file is before parsing it."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def make_index(parent: Page, **fields) -> RegulationIndexPage:
    defaults = {"title": "规章制度", "slug": "rules"}
    index = RegulationIndexPage(**{**defaults, **fields})
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_regulation(
    index: RegulationIndexPage, document: Document | None = None, *, publish: bool = True, **fields
) -> RegulationPage:
    """A regulation imported from a tree (rulebook() by default), published unless told not."""
    result = import_document(
        document or rulebook(), original=word_file(), filename="办法.docx", parent=index
    )
    page = result.page
    revision = page.latest_revision
    if fields:
        page = page.get_latest_revision_as_object()
        for name, value in fields.items():
            setattr(page, name, value)
        revision = page.save_revision()
    if publish:
        revision.publish()
    return RegulationPage.objects.get(pk=page.pk)
