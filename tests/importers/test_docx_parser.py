"""The .docx parser on its own (no database): fixtures made by python-docx, LibreOffice and
msoffcrypto-tool (tests/data/docx/make_fixtures.py says how), seed documents 002 and 004, and
every kind of bad upload."""

import importlib.util
import io
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from importers.docx.labels import typed_label
from importers.docx.numerals import format_number, parse_number
from importers.docx.parser import parse_docx
from importers.docx.tree import (
    Article,
    Document,
    DocxImportError,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Table,
)
from tests.support import DATA, ROOT

DOCX = DATA / "docx"


def parse(name: str, **options) -> Document:
    return parse_docx((DOCX / name).read_bytes(), filename=Path(name).name, **options)


def parse_lines(*lines: str, centered: tuple[str, ...] = ()) -> Document:
    """A Word file of one paragraph per line, those in `centered` centred and bold, parsed."""
    document = docx.Document()
    for line in lines:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if line in centered:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return parse_docx(buffer.getvalue(), filename="无标题.docx")


def text(runs: list[Inline]) -> str:
    return "".join(inline.text for inline in runs)


def blocks(document: Document, kind: type) -> list:
    return [block for block in document.blocks if isinstance(block, kind)]


def all_text(document: Document) -> str:
    """Every piece of text in the tree, to check what must not be there."""
    pieces = [document.title]
    for block in document.blocks:
        if isinstance(block, Heading):
            pieces.append(block.number + block.title)
        elif isinstance(block, Article):
            pieces += [block.number, *map(text, block.paragraphs)]
        elif isinstance(block, Paragraph):
            pieces.append(text(block.runs))
        elif isinstance(block, ListBlock):
            pieces += map(text, block.items)
        elif isinstance(block, Table):
            pieces += [text(runs) for row in block.rows for cell in row for runs in cell.paragraphs]
    return "\n".join(pieces)


# --- seed documents ------------------------------------------------------------------------


def test_seed_004_rulebook_keeps_its_sections_and_articles():
    document = parse("rulebook_004.docx")
    assert document.title == "社会服务承诺制度"
    sections = [block for block in blocks(document, Heading) if block.level == 2]
    assert [(heading.number, heading.title) for heading in sections] == [
        ("第一节", "总则"),
        ("第二节", "承诺服务内容及标准"),
        ("第三节", "服务纪律"),
        ("第四节", "投诉处理"),
        ("第五节", "监督与违诺处罚"),
    ]
    articles = blocks(document, Article)
    assert [article.ordinal for article in articles] == list(range(1, 15))
    assert articles[7].number == "第八条"
    assert [text(paragraph) for paragraph in articles[7].paragraphs] == [
        "非热源单位原因的设备故障,24小时内恢复供暖,对用户保修的一般用热故障在4小时内处理完结,"
        "计划停热检修时提前48小时告知用户。"
    ]
    assert document.stats == {
        "chapters": 0,
        "sections": 5,
        "articles": 14,
        "tables": 0,
        "images": 0,
    }


def test_seed_004_sections_come_before_their_articles():
    document = parse("rulebook_004.docx")
    order = [
        block.number
        for block in document.blocks
        if isinstance(block, Heading | Article) and block.number
    ]
    assert order[:4] == ["第一节", "第一条", "第二条", "第二节"]
    assert order[-3:] == ["第五节", "第十三条", "第十四条"]


def test_seed_004_later_rule_sets_end_the_last_article_and_their_typed_lists_are_lists():
    document = parse("rulebook_004.docx")
    fourteenth = blocks(document, Article)[-1]
    assert len(fourteenth.paragraphs) == 1  # 供热服务规范 is not part of 第十四条
    headings = [block.title for block in blocks(document, Heading) if block.level == 3]
    assert headings == ["供热服务规范", "供热服务管理制度", "首问负责制度"]
    lists = blocks(document, ListBlock)
    assert len(lists[0].items) == 17 and lists[0].ordered
    assert text(lists[0].items[0]).startswith("服务人员应熟练掌握集中供热各项政策法规")
    # "5、" after a "(1)…(6)" list, and "(5)" after "(3)", keep their typed numbers.
    paragraphs = [text(block.runs) for block in blocks(document, Paragraph)]
    assert "5、首问责任人应遵守下列规定" in paragraphs
    assert any(paragraph.startswith("(5)在规定的期限内") for paragraph in paragraphs)


def test_seed_002_time_limit_table_is_20_rows_and_a_header_of_4_columns():
    document = parse("service_standard_002.docx")
    assert document.title == "XXXX热力有限公司服务标准"
    [table] = blocks(document, Table)
    expected = [
        line.split("\t")
        for line in (DOCX / "sources" / "service_standard_002.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    cells = [
        [text(cell.paragraphs[0]) if cell.paragraphs else "" for cell in row] for row in table.rows
    ]
    assert table.header_rows == 1
    assert len(table.rows) == 21
    assert all(len(row) == 4 for row in table.rows)
    assert cells == expected
    assert cells[0] == ["序号", "服务项目", "时限要求", "备注"]
    assert cells[14][1] == "供热管道破裂、供热阀门损坏或热力井大量冒蒸汽"


# --- numbering, headings, labels -----------------------------------------------------------


def test_automatic_numbering_alone_gives_chapters_articles_and_ordinals():
    document = parse("auto_numbering.docx")
    chapters = [
        (block.number, block.title) for block in blocks(document, Heading) if block.level == 1
    ]
    assert chapters == [("第一章", "总则"), ("第二章", "管理"), ("第三章", "附则")]
    articles = blocks(document, Article)
    assert [(article.number, article.ordinal) for article in articles] == [
        ("第一条", 1),
        ("第二条", 2),
        ("第三条", 3),
        ("第四条", 4),
        ("第九十九条", 99),  # lvlOverride/startOverride 99
        ("第一○○条", 100),  # chineseCounting renders 100 digit by digit
    ]
    assert [text(paragraph) for paragraph in articles[1].paragraphs] == [
        "本办法所称供热设施包括：",
        "（一）热源；",
        "（二）管网。",
    ]
    # A new article restarts its items at （一）.
    assert text(articles[2].paragraphs[1]) == "（一）按时供热；"


def test_automatic_lists_bullets_and_restarted_numbering():
    document = parse("auto_numbering.docx")
    lists = blocks(document, ListBlock)
    assert [(block.ordered, [text(item) for item in block.items]) for block in lists] == [
        (True, ["检查阀门", "检查仪表"]),
        (True, ["记录温度", "记录压力"]),  # restarted: 1., 2. again, so a list
        (False, ["安全第一", "用户至上"]),
    ]


def test_wps_and_chinese_word_style_ids_and_names():
    document = parse("wps_styles.docx")
    assert document.title == "供热设施维护规定"
    assert [(block.level, block.number, block.title) for block in blocks(document, Heading)] == [
        (1, "第一章", "总则"),  # id "2", named "标题 1"
        (2, "第一节", "适用范围"),  # id "3", named "标题 2"
        (1, "第二章", "维护"),  # "章标题" based on "标题 1"
        (3, "", "一、日常检查"),  # Chinese Word's id "1", named "heading 3"
        (2, "", "直接设置大纲级别的标题"),  # w:outlineLvl on the paragraph
        (1, "", "附则"),
    ]
    assert [article.ordinal for article in blocks(document, Article)] == [1, 2]


def test_typed_labels_with_full_and_half_width_punctuation():
    document = parse("plain_variants.docx")
    assert document.title == "供热服务管理办法"
    assert [(block.number, block.title) for block in blocks(document, Heading)] == [
        ("第一章", "总则"),
        ("第二章", "管理"),
    ]
    articles = blocks(document, Article)
    assert [
        (article.number, article.ordinal, text(article.paragraphs[0])) for article in articles
    ] == [
        ("第一条", 1, "为了规范供热服务，制定本办法。"),
        ("第二条", 2, "本办法适用于本市供热。"),
        ("第三条", 3, "供热期为每年11月15日至次年3月15日。"),
        ("第四条", 4, "用户应按时缴费。"),
        ("第5条", 5, "全角数字的条号。"),
        ("第12条", 12, "阿拉伯数字的条号。"),
        ("第十三条", 13, "为了保障安全，制定本条。"),
        ("第一百零一条", 101, "本办法自发布之日起施行。"),
    ]
    # A paragraph citing 第十条 is text of the article before it, not article 10.
    assert text(articles[6].paragraphs[1]) == "第十条规定的情形除外。"
    # The typed table of contents and its "目录" line are gone.
    assert "目录" not in all_text(document)
    assert "……" not in all_text(document)


@pytest.mark.parametrize(
    ("typed", "kind", "number", "value"),
    [
        ("第一条　为了", "article", "第一条", 1),
        ("第一条：为了", "article", "第一条", 1),
        ("第一条.为了", "article", "第一条", 1),
        ("第 十二 条 为了", "article", "第十二条", 12),
        ("第二十条为了", "article", "第二十条", 20),
        ("第九十九条 为了", "article", "第九十九条", 99),
        ("第一○一条 为了", "article", "第一○一条", 101),
        ("第12条 为了", "article", "第12条", 12),
        ("第三章　附则", "chapter", "第三章", 3),
        ("第二节 范围", "section", "第二节", 2),
        ("（三）热源", "ordered", "（三）", 3),
        ("(3)热源", "ordered", "(3)", 3),
        ("3.热源", "ordered", "3.", 3),
        ("3、热源", "ordered", "3、", 3),
        ("③热源", "ordered", "③", 3),
        ("• 热源", "bullet", "•", 0),
    ],
)
def test_typed_label(typed, kind, number, value):
    label = typed_label(typed)
    assert (label.kind, label.number, label.value) == (kind, number, value)


@pytest.mark.parametrize(
    "typed",
    [
        "第十条规定的情形",
        "第三条至第五条",
        "第三条之一",
        "第一章规定的职责由供热单位承担。",
        "3.5米",
        "2024年",
    ],
)
def test_not_a_label(typed):
    assert typed_label(typed) is None


@pytest.mark.parametrize(
    ("value", "num_fmt", "shown"),
    [
        (11, "chineseCounting", "十一"),
        (100, "chineseCounting", "一○○"),
        (101, "chineseCountingThousand", "一百零一"),
        (110, "chineseCountingThousand", "一百一十"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "decimalEnclosedCircle", "③"),
        (28, "upperLetter", "BB"),
        (14, "lowerRoman", "xiv"),
    ],
)
def test_numbers_render_as_word_renders_them_and_read_back(value, num_fmt, shown):
    assert format_number(value, num_fmt) == shown
    if num_fmt.startswith("chinese"):
        assert parse_number(shown) == value


# --- tables, images, what is left out -----------------------------------------------------


def test_merged_cells_give_colspan_and_rowspan_and_nested_tables_stay_in_their_cell():
    document = parse("tables.docx")
    first, second = blocks(document, Table)
    header, green, _, chaoyang = first.rows
    assert [(text(cell.paragraphs[0]), cell.colspan) for cell in header] == [
        ("区域", 1),
        ("换热站", 2),
        ("备注", 1),
    ]
    assert (text(green[0].paragraphs[0]), green[0].rowspan) == ("绿园区", 2)
    assert len(first.rows[2]) == 3  # the covered cell is left out
    [nested] = chaoyang[3].tables
    assert [[text(cell.paragraphs[0]) for cell in row] for row in nested.rows] == [
        ["压力", "0.4MPa"],
        ["温度", "55℃"],
    ]
    assert first.header_rows == 0
    assert second.header_rows == 1  # no repeating header row, but the first row is bold


def test_images_keep_their_bytes_file_name_type_and_alt_text():
    document = parse("images.docx")
    images = blocks(document, Image)
    with zipfile.ZipFile(DOCX / "images.docx") as package:
        media = {
            Path(name).name: package.read(name) for name in package.namelist() if "/media/" in name
        }
    assert [(image.filename, image.alt) for image in images] == [
        ("image1.png", "换热站示意图"),  # wp:docPr descr
        ("image2.png", "管网走向图"),  # only a title
        ("image3.png", ""),
        ("image4.png", "公司标志图"),  # from a table cell: after the table
    ]
    assert all(
        image.data == media[image.filename] and image.content_type == "image/png"
        for image in images
    )
    assert isinstance(document.blocks[document.blocks.index(images[3]) - 1], Table)


def test_table_of_contents_field_is_skipped_with_its_heading():
    document = parse("toc_field.docx")
    assert [block.number for block in blocks(document, Heading)] == ["第一章", "第二章"]
    assert "目录" not in all_text(document)
    # A hyperlink field's result is text.
    assert text(blocks(document, Article)[0].paragraphs[1]) == "详见供热网站。"


def test_table_of_contents_content_control_and_toc_styles_are_skipped():
    document = parse("toc_content_control.docx")
    assert document.title == "供热服务手册"
    assert [type(block) for block in document.blocks] == [Heading, Article]
    assert "目录" not in all_text(document)


def test_headers_footers_comments_footnotes_hidden_text_and_deletions_are_left_out():
    document = parse("headers_comments_emphasis.docx")
    everything = all_text(document)
    for absent in ("页眉", "页脚", "批注", "脚注", "隐藏文字", "一百天"):
        assert absent not in everything
    assert "供暖期一百二十天" in everything  # an insertion is text
    assert "收费依据物价局批复。" in everything  # no footnote mark either


def test_bold_and_italic_are_kept_and_equal_neighbours_merged():
    first = parse("headers_comments_emphasis.docx").blocks[0]
    assert first.runs == [
        Inline("供热"),
        Inline("服务承诺", bold=True),
        Inline("与"),
        Inline("监督", italic=True),
        Inline("电话", bold=True, italic=True),
        Inline("。"),
    ]


# --- LibreOffice -------------------------------------------------------------------------------


def test_libreoffice_html_headings_lists_table_and_emphasis():
    document = parse("libreoffice/regulation.docx")
    assert [(block.level, block.number, block.title) for block in blocks(document, Heading)] == [
        (1, "第一章", "总则"),
        (2, "第一节", "服务标准"),
        (2, "", "收费标准"),
        (1, "", "附则"),
    ]
    first, second = blocks(document, Article)
    assert Inline("规范", bold=True) in first.paragraphs[0]
    assert Inline("服务", italic=True) in first.paragraphs[0]
    assert Inline("用户", bold=True, italic=True) in first.paragraphs[0]
    # An <ol> inside an article stays in it, numbers written out.
    assert [text(paragraph) for paragraph in second.paragraphs] == [
        "本办法适用于下列供热活动：",
        "1. 集中供热；",
        "2. 区域锅炉房供热。",
    ]
    ordered, bullets = blocks(document, ListBlock)
    assert ordered.ordered and [text(item) for item in ordered.items] == [
        "热情接待；",
        "耐心解答；",
        "限时办结。",
    ]
    assert not bullets.ordered and len(bullets.items) == 2
    [table] = blocks(document, Table)
    assert table.header_rows == 1
    assert [(cell.colspan, cell.rowspan) for cell in table.rows[0]] == [(1, 1), (2, 1)]
    assert [(cell.colspan, cell.rowspan) for cell in table.rows[1]] == [(1, 2), (1, 1), (1, 1)]
    assert len(table.rows[2]) == 2
    [image] = blocks(document, Image)
    assert image.content_type == "image/png" and image.data.startswith(b"\x89PNG")


def test_libreoffice_outline_and_list_numbering_with_table_of_contents():
    document = parse("libreoffice/numbering_toc.docx")
    assert document.title == "供热设施管理办法"
    assert [(block.level, block.number, block.title) for block in blocks(document, Heading)] == [
        (1, "第一章", "总则"),
        (1, "第二章", "管理"),
        (2, "第一节", "日常维护"),
    ]
    articles = blocks(document, Article)
    assert [article.number for article in articles] == ["第一条", "第二条", "第三条"]
    assert [text(paragraph) for paragraph in articles[1].paragraphs][1:] == [
        "（一）热源；",
        "（二）管网。",
    ]
    everything = all_text(document)
    for absent in ("目录", "页眉", "页脚", "脚注"):
        assert absent not in everything


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad/not_a_zip.docx", "不是有效的 Word 文档（.docx）"),
        ("bad/pdf_renamed.docx", "这是 PDF 文件"),
        (
            "bad/zip_not_word.docx",
            "不是 Word 文档（.docx）：里面没有 Word 正文（word/document.xml）",
        ),
        ("bad/xlsx_renamed.docx", "这是 Excel 表格"),
        ("bad/wrong_content_type.docx", "内容类型是"),
        ("bad/encrypted.docx", "文件设置了打开密码（已加密）"),
        ("bad/legacy.doc", "旧版 Word 97-2003 文档（.doc）"),
        ("bad/ole_unknown.docx", "文件已加密或是旧版 .doc 格式"),
        ("bad/strict.docx", "另存为“Word 文档 (*.docx)”"),
        ("bad/missing_image.docx", "图片“换热站示意图”缺失（文件内找不到 word/media/image1.png）"),
        ("bad/empty.docx", "文档没有任何内容"),
        ("bad/xxe.docx", "DTD 或实体声明"),
        ("bad/bomb_total.docx", "解压后共 300 MB，超过上限 200 MB"),
        ("bad/bomb_ratio.docx", "压缩比高达"),
        ("bad/bomb_parts.docx", "3000 个部件，超过上限 2000 个"),
    ],
)
def test_bad_input_is_refused_with_its_own_chinese_message(name, message):
    with pytest.raises(DocxImportError, match=re.escape(message)):
        parse(name)


def test_strict_ooxml_is_named():
    with pytest.raises(DocxImportError, match="Strict Open XML"):
        parse("bad/strict.docx")


def test_xxe_leaks_nothing():
    with pytest.raises(DocxImportError) as refused:
        parse("bad/xxe.docx")
    assert "root:" not in str(refused.value)


def test_over_the_size_limit():
    with pytest.raises(DocxImportError, match=re.escape("文件大小 21.0 MB，超过上限 20 MB")):
        parse_docx(bytes(21 * 1024 * 1024))
    with pytest.raises(DocxImportError, match="超过上限"):
        parse("rulebook_004.docx", max_bytes=1024)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused_with_a_chinese_message(keep):
    data = (DOCX / "auto_numbering.docx").read_bytes()
    with pytest.raises(DocxImportError):
        parse_docx(data[: int(len(data) * keep)])


def test_an_empty_upload():
    with pytest.raises(DocxImportError, match="文件是空的"):
        parse_docx(b"")


@pytest.mark.parametrize(
    "name", ["bad/bomb_total.docx", "bad/bomb_ratio.docx", "bad/bomb_parts.docx"]
)
def test_zip_bomb_is_refused_before_anything_is_decompressed(name, monkeypatch):
    def no_extraction(*args, **kwargs):
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_extraction)
    data = (DOCX / name).read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(DocxImportError, match="已拒绝导入"):
        parse_docx(data)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 0.5
    assert peak < 2 * 1024 * 1024


# --- title, performance ------------------------------------------------------------------------


def test_title_falls_back_to_the_file_name_without_its_extension():
    data = (DOCX / "tables.docx").read_bytes()
    assert parse_docx(data, filename="C:\\fakepath\\换热站分布表.docx").title == "换热站分布表"
    assert parse_docx(data).title == ""


def test_a_cover_title_set_one_character_per_paragraph_is_the_title():
    document = parse("cover_title.docx")
    assert document.title == "竞争性谈判文件"
    lines = all_text(document).splitlines()[1:]
    assert not set(lines) & set("竞争性谈判文件")  # no character left over in the body
    assert lines[:3] == [
        "项目编号：QF-2024-017",
        "采购人：曲阜聚源供热有限责任公司",
        "二〇二四年十月",
    ]
    chapters = [
        (block.number, block.title) for block in blocks(document, Heading) if block.level == 1
    ]
    assert chapters == [("第一章", "总则"), ("第二章", "谈判程序")]
    assert [article.ordinal for article in blocks(document, Article)] == [1, 2, 3]


def test_cover_characters_pushed_to_the_middle_with_full_width_spaces_are_a_title_too():
    document = parse_lines(
        *(f"\u3000\u3000\u3000\u3000{character}" for character in "招标文件"),
        "第一条 本文件适用于供热管网维修工程。",
    )
    assert document.title == "招标文件"
    assert [type(block) for block in document.blocks] == [Article]


@pytest.mark.parametrize("title", [("供热服务评议办法",), ()])
def test_one_character_lines_after_other_text_stay_in_the_body(title):
    lines = ["评议结果分为四等：", "优", "良", "中", "差", "评议每年进行一次。"]
    document = parse_lines(*title, *lines, centered=title)
    assert document.title == (title[0] if title else "无标题")
    assert [text(block.runs) for block in document.blocks] == lines


@pytest.mark.parametrize(
    "lines",
    [
        ("竞争性", "谈判文件"),  # a cover title in runs: not told apart from the next case
        ("章程", "总则"),  # a short title and its first heading
    ],
)
def test_short_lines_at_the_top_are_not_joined_into_a_title(lines):
    document = parse_lines(*lines, "第一条 本办法适用于供热管网。", centered=lines)
    assert document.title == lines[0]
    assert document.blocks[0] == Heading(3, "", lines[1])


def test_a_200_page_regulation_parses_in_well_under_5_seconds(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "docx_import", ROOT / "benchmarks" / "docx_import.py"
    )
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    data = benchmark.make_regulation(tmp_path / "regulation.docx").read_bytes()
    started = time.perf_counter()
    document = parse_docx(data)
    elapsed = time.perf_counter() - started
    assert document.stats == {
        "chapters": 10,
        "sections": 40,
        "articles": 1000,
        "tables": 50,
        "images": 0,
    }
    assert elapsed < 2.5


# --- numbering rules on hand-written numbering.xml ------------------------------------------

W_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
STYLES_XML = f"""<w:styles {W_NAMESPACE}>
  <w:style w:type="numbering" w:styleId="RegulationList"><w:name w:val="条款列表"/>
    <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"""
NUMBERING_XML = f"""<w:numbering {W_NAMESPACE}>
  <w:abstractNum w:abstractNumId="0"><w:styleLink w:val="RegulationList"/>
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="第%1条"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:lvlRestart w:val="0"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="RegulationList"/></w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="0"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""


def numbering_labels(*paragraphs: tuple[str, int]) -> list[str]:
    from lxml import etree

    from importers.docx.numbering import Numbering
    from importers.docx.styles import Styles

    styles = Styles(etree.fromstring(STYLES_XML))
    numbering = Numbering(etree.fromstring(NUMBERING_XML), styles)
    return [numbering.label(num_id, ilvl, None).text for num_id, ilvl in paragraphs]


def test_instances_of_one_definition_share_counters_unless_they_override_a_level():
    # numId 2 links to numId 1's definition through the numbering style: one sequence.
    assert numbering_labels(("1", 0), ("2", 0), ("1", 0), ("3", 0), ("3", 0), ("1", 0)) == [
        "第一条",
        "第二条",
        "第三条",
        "第五条",  # startOverride: counters of its own
        "第六条",
        "第四条",
    ]


def test_legal_numbering_and_levels_that_never_restart():
    assert numbering_labels(("1", 0), ("1", 1), ("1", 2), ("1", 0), ("1", 1), ("1", 2)) == [
        "第一条",
        "1.1",  # isLgl: 第一条's counter shown as a decimal
        "a)",
        "第二条",
        "2.1",  # level 1 restarts after level 0
        "b)",  # lvlRestart 0: never restarts
    ]
