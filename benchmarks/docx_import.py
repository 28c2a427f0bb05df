#!/usr/bin/env python
"""parse_docx on a generated regulation of about 200 pages: 1,000 articles under chapters and
sections (labels typed in bold, as offices type them, every third with （一）（二）（三） items), and 50
tables of 12 rows × 4 columns spread through it. Reports the median wall time of several
parses and Python's peak allocation (tracemalloc) during one.

    .venv/bin/python benchmarks/docx_import.py [--articles 1000] [--tables 50] [--runs 5]

`make_regulation(path, articles=1000, tables=50)` writes the document, for benchmarks of the
whole page import to reuse."""

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt  # noqa: E402

from importers.docx.numerals import format_number  # noqa: E402
from importers.docx.parser import parse_docx  # noqa: E402

SECTIONS_PER_CHAPTER = 4
ARTICLES_PER_SECTION = 25
TABLE_ROWS = 12
FONT_SIZE = Pt(16)  # 三号, the size of official documents
CLAUSES = (
    "供热单位应当按照国家和本市有关规定，做好供热设施的运行、维护和检修工作，保障供热质量和安全。",
    "用户反映室温不达标的，供热单位应当在二十四小时内上门测温，并将测温结果书面告知用户。",
    "计划停热检修的，供热单位应当提前四十八小时在受影响的小区张贴通知，并通过短信告知用户。",
    "供热单位应当向社会公布服务标准、收费依据和投诉电话，接受用户和社会各界的监督。",
    "非因用户原因造成供热中断的，供热单位应当及时组织抢修，并按规定减收相应期间的采暖费。",
)


def make_regulation(path: Path | str, articles: int = 1000, tables: int = 50) -> Path:
    """A regulation in the shape of real ones: 第X章 / 第X节 headings in heading styles, bold
    第X条 labels typed before each article's text, items in every third article, and `tables`
    tables spaced evenly between articles."""
    document = docx.Document()
    document.add_paragraph("供热管理条例（基准测试）", style="Title")
    table_every = max(articles // max(tables, 1), 1)
    tables_left = tables
    for number in range(1, articles + 1):
        if (number - 1) % (SECTIONS_PER_CHAPTER * ARTICLES_PER_SECTION) == 0:
            chapter = (number - 1) // (SECTIONS_PER_CHAPTER * ARTICLES_PER_SECTION) + 1
            document.add_heading(
                f"第{format_number(chapter, 'chineseCountingThousand')}章 供热管理", 1
            )
        if (number - 1) % ARTICLES_PER_SECTION == 0:
            section = (number - 1) // ARTICLES_PER_SECTION % SECTIONS_PER_CHAPTER + 1
            document.add_heading(
                f"第{format_number(section, 'chineseCountingThousand')}节 运行维护", 2
            )
        _article(document, number)
        if tables_left and number % table_every == 0:
            _table(document, tables - tables_left + 1)
            tables_left -= 1
    document.save(path)
    return Path(path)


def _article(document, number: int) -> None:
    paragraph = document.add_paragraph()
    _run(paragraph, f"第{format_number(number, 'chineseCountingThousand')}条", bold=True)
    _run(paragraph, "\u3000" + CLAUSES[number % len(CLAUSES)])
    _run(paragraph, f"第{number}号文件规定的情形，", italic=True)
    _run(paragraph, CLAUSES[(number + 2) % len(CLAUSES)])
    if number % 3 == 0:
        for index, item in enumerate(("一", "二", "三")):
            _run(
                document.add_paragraph(),
                f"（{item}）{CLAUSES[(number + index) % len(CLAUSES)][:36]}；",
            )


def _run(paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """A run formatted as Word formats typed text (fonts and size on every run), so the XML is
    about as verbose as a real document's."""
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.size = FONT_SIZE
    run.font.name = "Times New Roman"
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")


def _table(document, number: int) -> None:
    document.add_paragraph(f"附表{number} 供热服务时限")
    table = document.add_table(rows=TABLE_ROWS, cols=4)
    for index, row in enumerate(table.rows):
        values = (
            ("序号", "服务项目", "时限要求", "备注")
            if index == 0
            else (str(index), "测温申请", "即时受理，预约处理时间。", "")
        )
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def measure(data: bytes, runs: int) -> tuple[list[float], int]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        parse_docx(data, filename="regulation.docx")
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    parse_docx(data, filename="regulation.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return times, peak


def measure_page_import(data: bytes) -> tuple[float, float, int, dict]:
    """The whole import into a throwaway site: parse, build the StreamField, store the original
    as a Wagtail document and create the draft page, in one transaction. Then a re-import, which
    adds a revision to the same page."""
    import io
    import os

    var_dir = tempfile.mkdtemp(prefix="bench-docx-")
    sys.path[:0] = [str(ROOT / "site")]
    os.environ.update(VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings.dev")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    from regulations.importer import import_regulation
    from regulations.models import RegulationIndexPage

    parent = RegulationIndexPage.objects.get()
    started = time.perf_counter()
    result = import_regulation(data, filename="regulation.docx", parent=parent)
    first = time.perf_counter() - started
    started = time.perf_counter()
    import_regulation(data, filename="regulation.docx", parent=parent)
    again = time.perf_counter() - started
    # Memory on a third, separate page: tracemalloc slows what it watches, so not while timing.
    tracemalloc.start()
    import_regulation(data, filename="regulation.docx", parent=parent, title="压力测试规章（内存）")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return first, again, peak, result.page.revisions.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        started = time.perf_counter()
        path = make_regulation(
            Path(temporary) / "regulation.docx", arguments.articles, arguments.tables
        )
        made = time.perf_counter() - started
        data = path.read_bytes()
    document = parse_docx(data, filename="regulation.docx")
    times, peak = measure(data, arguments.runs)
    characters = sum(
        len(inline.text)
        for block in document.blocks
        for runs in getattr(block, "paragraphs", [])
        for inline in runs
    )
    print(f"document: {len(data) / 1024:.0f} KB, generated in {made:.1f} s; {document.stats}")
    print(
        f"article text: {characters:,} characters (about {characters // 800} pages at 800 per page)"
    )
    print(
        f"parse_docx: median {statistics.median(times):.3f} s over {arguments.runs} runs (min {min(times):.3f} s, max {max(times):.3f} s)"
    )
    print(f"peak Python memory during one parse: {peak / 1024 / 1024:.1f} MB")
    first, again, page_peak, revisions = measure_page_import(data)
    print(
        f"full import into a draft page: {first:.2f} s (peak Python memory {page_peak / 1024 / 1024:.1f} MB); "
        f"re-import as a new revision: {again:.2f} s; the page has {revisions} revisions"
    )


if __name__ == "__main__":
    main()
