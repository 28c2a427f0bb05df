#!/usr/bin/env python
"""Writes the .docx fixtures of tests/importers/test_docx_parser.py. Re-runnable:

    .venv/bin/python tests/data/docx/make_fixtures.py            # python-docx and bad inputs
    .venv/bin/python tests/data/docx/make_fixtures.py --others   # also LibreOffice, msoffcrypto

Three producers, so the parser is not tuned to one writer's habits:
- python-docx (this script), with XML surgery where a fixture needs what python-docx cannot
  write: automatic numbering, fields, content controls, footnotes, WPS-style style ids, and the
  bad inputs.
- LibreOffice: libreoffice/*.html and *.fodt converted with
  `soffice --headless --convert-to docx:"MS Word 2007 XML" SOURCE --outdir libreoffice`
  (and to "doc:MS Word 97" for a real legacy .doc). Needs libreoffice-writer-nogui.
- msoffcrypto-tool (not a project dependency: `pip install msoffcrypto-tool` somewhere else
  and run this script with that Python) encrypts a LibreOffice .docx with a password, which
  gives the OLE container Word writes for a password-protected file.
Their outputs are committed, so the tests need none of these tools."""

import argparse
import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
BAD = HERE / "bad"
LIBREOFFICE = HERE / "libreoffice"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MB = 1024 * 1024


# --- helpers -------------------------------------------------------------------------------


def save(document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def rewrite_zip(
    source: Path,
    target: Path,
    edits: dict[str, Callable[[bytes], bytes] | None] | None = None,
    additions: dict[str, bytes] | None = None,
) -> None:
    """Copy a package, changing (a function of the old bytes) or dropping (None) members."""
    edits = edits or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in edits and edits[info.filename] is None:
                continue
            data = old.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            new.writestr(info.filename, data)
        for name, data in (additions or {}).items():
            new.writestr(name, data)


def replace_bytes(*pairs: tuple[str, str]) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new)
        return text.encode("utf-8")

    return edit


def png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def ole_file(*stream_names: str) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) whose directory holds empty
    streams with these names: sector 0 is the FAT, sector 1 the directory."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, child: int = no_stream, right: int = no_stream) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end, 0)
        )

    count = len(stream_names)
    directory = entry("Root Entry", 5, child=1 if count else no_stream)
    for index, name in enumerate(stream_names, start=1):
        directory += entry(name, 2, right=index + 1 if index < count else no_stream)
    directory = directory.ljust(512 * ((len(directory) + 511) // 512), b"\0")
    return header + fat + directory


def set_numbering(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(
        0,
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        ),
    )


def add_field(paragraph, instruction: str, result: str) -> None:
    """A complex field: begin, instruction, separate, result text, end."""
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for run in parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>"):
        paragraph._p.append(run)


def centered_bold(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = True


# --- python-docx fixtures ------------------------------------------------------------------


def rulebook_004() -> None:
    """Seed 004 as typed: no styles, 第一节…第五节 and 第一条…第十四条 as plain text (with the
    seed's no-break spaces), the rule-set names bold, "1、" and "(1)" lists typed by hand."""
    lines = (SOURCES / "rulebook_004.txt").read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    centered_bold(document, lines[0])
    for line in lines[1:]:
        if line in ("供热服务规范", "供热服务管理制度", "首问负责制度"):
            document.add_paragraph().add_run(line).bold = True
        else:
            document.add_paragraph(line)
    save(document, HERE / "rulebook_004.docx")


def service_standard_002() -> None:
    """Seed 002: a Title-styled title, headings, and the 20-row time-limit table whose first
    row repeats as a header (w:tblHeader)."""
    rows = [
        line.split("\t")
        for line in (SOURCES / "service_standard_002.tsv").read_text(encoding="utf-8").splitlines()
    ]
    document = docx.Document()
    document.add_paragraph("XXXX热力有限公司服务标准", style="Title")
    document.add_heading("1.集中供热时间", level=2)
    document.add_paragraph(
        "供暖期为120天,即当年11月15日至次年3月15日,公休、节假日不间断供热,当年具体供热时间根据当地人民政府调整。"
    )
    document.add_heading("2.集中收费起止时间", level=2)
    document.add_paragraph("当年9月8日一10月31日")
    document.add_heading("5.业务办理时限", level=2)
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for cells, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    document.add_paragraph("以上时限自受理之日起计算。")
    save(document, HERE / "service_standard_002.docx")


NUMBERING_DEFINITIONS = f"""
<w:numbering {nsdecls("w")}>
  <w:abstractNum w:abstractNumId="90">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="91">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="92">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="93">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/>
      <w:lvlText w:val="第%1章"/><w:suff w:val="space"/><w:pStyle w:val="Heading1"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="100"><w:abstractNumId w:val="90"/></w:num>
  <w:num w:numId="101"><w:abstractNumId w:val="91"/></w:num>
  <w:num w:numId="102"><w:abstractNumId w:val="91"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
  <w:num w:numId="103"><w:abstractNumId w:val="92"/></w:num>
  <w:num w:numId="104"><w:abstractNumId w:val="90"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="99"/></w:lvlOverride></w:num>
  <w:num w:numId="105"><w:abstractNumId w:val="93"/></w:num>
</w:numbering>"""


def auto_numbering() -> None:
    """Structure carried only by automatic numbering: no 第X条 or 第X章 in the text. Heading 1
    is numbered "第%1章" through its style; articles "第%1条" (chineseCounting), their items
    "（%2）"; a decimal list, the same list restarted (lvlOverride/startOverride), bullets, and
    articles continuing from 99 (chineseCounting renders 100 as 一○○)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    definitions = parse_xml(NUMBERING_DEFINITIONS)
    first_num = numbering.find(qn("w:num"))
    for element in definitions.findall(qn("w:abstractNum")):
        first_num.addprevious(element)
    for element in definitions.findall(qn("w:num")):
        numbering.append(element)
    heading_style = document.styles["Heading 1"].element
    heading_style.get_or_add_pPr().insert(
        0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="105"/></w:numPr>')
    )

    document.add_paragraph("自动编号的供热管理办法", style="Title")
    document.add_heading("总则", level=1)
    set_numbering(document.add_paragraph("为了规范供热服务，制定本办法。"), 100)
    set_numbering(document.add_paragraph("本办法所称供热设施包括："), 100)
    set_numbering(document.add_paragraph("热源；"), 100, ilvl=1)
    set_numbering(document.add_paragraph("管网。"), 100, ilvl=1)
    set_numbering(document.add_paragraph("供热单位应当遵守下列规定："), 100)
    set_numbering(document.add_paragraph("按时供热；"), 100, ilvl=1)
    document.add_heading("管理", level=1)
    set_numbering(document.add_paragraph("供热单位应当定期巡检。"), 100)
    document.add_heading("巡检要求", level=2)
    for text in ("检查阀门", "检查仪表"):
        set_numbering(document.add_paragraph(text), 101)
    document.add_paragraph("另起一组：")
    for text in ("记录温度", "记录压力"):
        set_numbering(document.add_paragraph(text), 102)
    for text in ("安全第一", "用户至上"):
        set_numbering(document.add_paragraph(text), 103)
    document.add_heading("附则", level=1)
    set_numbering(document.add_paragraph("本办法由供热公司负责解释。"), 104)
    set_numbering(document.add_paragraph("本办法自发布之日起施行。"), 104)
    save(document, HERE / "auto_numbering.docx")


def tables() -> None:
    """Merged cells (gridSpan, vMerge restart/continue), a nested table, and a table without a
    repeating header row whose first row is bold."""
    document = docx.Document()
    document.add_paragraph("换热站分布")
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for row, values in zip(
        table.rows,
        [
            ("区域", "换热站", "", "备注"),
            ("绿园区", "一号站", "二号站", "—"),
            ("", "三号站", "四号站", "—"),
            ("朝阳区", "五号站", "六号站", ""),
        ],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    station = table.cell(0, 1).merge(table.cell(0, 2))
    station.text = "换热站"
    district = table.cell(1, 0).merge(table.cell(2, 0))
    district.text = "绿园区"
    nested = table.cell(3, 3).add_table(rows=2, cols=2)
    for cell, value in zip(nested._cells, ("压力", "0.4MPa", "温度", "55℃"), strict=True):
        cell.text = value

    document.add_paragraph("收费标准")
    prices = document.add_table(rows=3, cols=2)
    for index, values in enumerate(
        [("类别", "单价"), ("居民", "27元/平方米"), ("非居民", "37元/平方米")]
    ):
        for cell, value in zip(prices.rows[index].cells, values, strict=True):
            cell.paragraphs[0].add_run(value).bold = index == 0
    save(document, HERE / "tables.docx")


def images() -> Path:
    """Inline pictures: alt text in descr, one with only a title, one with neither, one in a
    table cell (which a Cell cannot hold, so it follows the table)."""
    document = docx.Document()
    document.add_paragraph("换热站示意图如下：")
    pictures = [
        (png(rgb=(200, 40, 40)), {"descr": "换热站示意图"}),
        (png(rgb=(40, 200, 40)), {"title": "管网走向图"}),
        (png(rgb=(40, 40, 200)), {}),
    ]
    for data, attributes in pictures:
        run = document.add_paragraph().add_run()
        run.add_picture(io.BytesIO(data))
        properties = run._r.xpath(".//wp:docPr")[0]
        properties.set("descr", "")
        for name, value in attributes.items():
            properties.set(name, value)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "公司标志"
    run = table.cell(0, 1).paragraphs[0].add_run()
    run.add_picture(io.BytesIO(png(rgb=(9, 9, 9))))
    run._r.xpath(".//wp:docPr")[0].set("descr", "公司标志图")
    return save(document, HERE / "images.docx")


def toc_field() -> None:
    """A "目录" line and a TOC field whose entries are plain paragraphs with hyperlinks and
    nested PAGEREF fields, as Word writes them; only the field says they are a TOC."""
    document = docx.Document()
    document.add_paragraph("目录")
    entries = ("第一章 总则", "第一条 目的", "第二章 附则")
    for index, entry in enumerate(entries):
        paragraph = document.add_paragraph()
        runs = ""
        if index == 0:
            runs += '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            runs += '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            runs += '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        runs += (
            f'<w:hyperlink w:anchor="_Toc{index}"><w:r><w:t>{entry}</w:t></w:r><w:r><w:tab/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc{index} \\h </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{index + 1}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>'
        )
        if index == len(entries) - 1:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        for element in parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>"):
            paragraph._p.append(element)
    document.add_paragraph("第一章 总则")
    document.add_paragraph("第一条 为了规范供热服务，制定本办法。")
    paragraph = document.add_paragraph("详见")
    add_field(paragraph, 'HYPERLINK "https://example.com/"', "供热网站")
    paragraph.add_run("。")
    document.add_paragraph("第二章 附则")
    save(document, HERE / "toc_field.docx")


def toc_content_control() -> None:
    """A TOC in a "Table of Contents" content control, entries styled "toc 1" / "toc 2" (by
    the Chinese-Word style ids "10" and "21"), and TOC-styled lines outside any control."""
    document = docx.Document()
    for style_id, name in (("10", "toc 1"), ("21", "toc 2")):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
    document.add_paragraph("供热服务手册", style="Title")
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>"
        '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>目录</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="10"/></w:pPr><w:r><w:t>第一章 总则</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="21"/></w:pPr><w:r><w:t>第一条 目的</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
    )
    document.element.body.insert(1, sdt)
    document.add_paragraph("第一章 补充目录", style="toc 1")
    document.add_paragraph("第一章 总则")
    document.add_paragraph("第一条 为了规范供热服务，制定本办法。")
    save(document, HERE / "toc_content_control.docx")


FOOTNOTES = f"""<w:footnotes {nsdecls("w")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>脚注：依据供热条例。</w:t></w:r></w:p></w:footnote>
</w:footnotes>""".encode()


def headers_comments_emphasis() -> None:
    """Header, footer, a comment, a footnote, hidden text and tracked changes: none of it is
    body text except the insertion. Bold and italic split over several runs."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉：XX热力有限公司"
    section.footer.paragraphs[0].text = "页脚：第1页"
    paragraph = document.add_paragraph("供热")
    paragraph.add_run("服务").bold = True
    paragraph.add_run("承诺").bold = True  # adjacent, same flags: one Inline
    paragraph.add_run("与")
    paragraph.add_run("监督").italic = True
    both = paragraph.add_run("电话")
    both.bold = both.italic = True
    paragraph.add_run("。")
    commented = document.add_paragraph().add_run("客服热线24小时接听。")
    document.add_comment(commented, text="批注：核实热线号码", author="审核")
    noted = document.add_paragraph("收费依据物价局批复")
    noted._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'
        )
    )
    noted.add_run("。")
    hidden = document.add_paragraph("可见文字")
    hidden.add_run("隐藏文字").font.hidden = True
    revised = document.add_paragraph("供暖期")
    revised._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
            "<w:r><w:delText>一百天</w:delText></w:r></w:del>"
        )
    )
    revised._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="2" w:author="a" w:date="2024-01-01T00:00:00Z">'
            "<w:r><w:t>一百二十天</w:t></w:r></w:ins>"
        )
    )
    with tempfile.TemporaryDirectory() as temporary:
        plain = save(document, Path(temporary) / "plain.docx")
        rewrite_zip(
            plain,
            HERE / "headers_comments_emphasis.docx",
            edits={
                "[Content_Types].xml": replace_bytes(
                    (
                        "</Types>",
                        '<Override PartName="/word/footnotes.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                    )
                ),
                "word/_rels/document.xml.rels": replace_bytes(
                    (
                        "</Relationships>",
                        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                        "</Relationships>",
                    )
                ),
            },
            additions={"word/footnotes.xml": FOOTNOTES},
        )


def wps_styles() -> None:
    """Style ids and names as WPS and Chinese Word write them: "标题 1" with id "2", a custom
    "章标题" based on it, Chinese Word's id "1" named "heading 3", "标题" (Title), and an
    outline level set on a paragraph directly."""
    document = docx.Document()
    styles = document.styles
    for style_id, name, based_on, outline in (
        ("2", "标题 1", None, 0),
        ("3", "标题 2", None, 1),
        ("15", "章标题", "2", None),
        ("a5", "标题", None, None),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        if based_on:
            style.element.append(parse_xml(f'<w:basedOn {nsdecls("w")} w:val="{based_on}"/>'))
        if outline is not None:
            style.element.get_or_add_pPr().append(
                parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>')
            )
    styles["Heading 3"].element.set(qn("w:styleId"), "1")  # Chinese Word: id "1", "heading 3"
    document.add_paragraph("供热设施维护规定", style="标题")
    document.add_paragraph("第一章 总则", style="标题 1")
    document.add_paragraph("第一条 为了做好供热设施维护，制定本规定。")
    document.add_paragraph("第一节 适用范围", style="标题 2")
    document.add_paragraph("第二条 本规定适用于公司所属换热站。")
    document.add_paragraph("第二章 维护", style="章标题")
    document.add_paragraph("一、日常检查", style="Heading 3")
    outlined = document.add_paragraph("直接设置大纲级别的标题")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    document.add_paragraph("附则", style="标题 1")
    document.add_paragraph("本规定自发布之日起施行。")
    save(document, HERE / "wps_styles.docx")


def plain_variants() -> None:
    """Labels typed every way people type them: full-width spaces and digits, colons and
    periods, Arabic numbers, no separator, a citation that is not a label, a typed table of
    contents with its "目录" line."""
    document = docx.Document()
    centered_bold(document, "供热服务管理办法")
    for line in (
        "目录",
        "第一章 总则……………………1",
        "第二章　管理\t3",
        "\u3000\u3000第一章\u3000总则",
        "第一条\u3000为了规范供热服务，制定本办法。",
        "第二条：本办法适用于本市供热。",
        "第三条.供热期为每年11月15日至次年3月15日。",
        "第四条:用户应按时缴费。",
        "第５条 全角数字的条号。",
        "第二章管理",
        "第12条 阿拉伯数字的条号。",
        "第十三条为了保障安全，制定本条。",
        "第十条规定的情形除外。",
        "\u3000\u3000第一百零一条\u3000本办法自发布之日起施行。",
    ):
        document.add_paragraph(line)
    save(document, HERE / "plain_variants.docx")


def cover_title() -> None:
    """A procurement file's cover: the title set one character per paragraph, centred, bold and
    large, with blank paragraphs (one of full-width spaces) between some characters and one
    character typed between full-width spaces; then the project number, the purchaser and
    the date, a page break, and the body: chapters, articles and a typed list."""
    document = docx.Document()
    document.add_paragraph()
    for character in ("竞", "", "争", "\u3000", "性", "\u3000谈\u3000", "判", "文", "件"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if character:
            run = paragraph.add_run(character)
            run.bold = True
            run.font.size = Pt(36)
    document.add_paragraph()
    for line in ("项目编号：QF-2024-017", "采购人：曲阜聚源供热有限责任公司", "二〇二四年十月"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).font.size = Pt(16)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in (
        "第一章 总则",
        "第一条 为规范供热管网维修工程的竞争性谈判，制定本文件。",
        "第二条 供应商应当具备下列条件：",
        "1、具有独立承担民事责任的能力；",
        "2、具有良好的商业信誉。",
        "第二章 谈判程序",
        "第三条 谈判小组由三人组成。",
    ):
        document.add_paragraph(line)
    save(document, HERE / "cover_title.docx")


# --- bad inputs ----------------------------------------------------------------------------


def bad_inputs(image_fixture: Path) -> None:
    BAD.mkdir(exist_ok=True)
    (BAD / "not_a_zip.docx").write_bytes("这只是一段文字，不是 Word 文档。\n".encode())
    (BAD / "pdf_renamed.docx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (BAD / "ole_unknown.docx").write_bytes(ole_file("Workbook"))
    write_zip(BAD / "zip_not_word.docx", {"readme.txt": "一个普通的压缩包".encode()})
    write_zip(
        BAD / "xlsx_renamed.docx",
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b"<workbook/>",
        },
    )
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        plain = docx.Document()
        plain.add_paragraph("第一条 正文。")
        plain_path = save(plain, base / "plain.docx")
        rewrite_zip(
            plain_path,
            BAD / "strict.docx",
            edits={
                "word/document.xml": lambda data: data.replace(W_NS.encode(), STRICT_W_NS.encode()),
                "_rels/.rels": replace_bytes(
                    (
                        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                        "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
                    )
                ),
            },
        )
        rewrite_zip(
            plain_path,
            BAD / "wrong_content_type.docx",
            edits={
                "[Content_Types].xml": replace_bytes(
                    (
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    )
                )
            },
        )
        rewrite_zip(
            plain_path,
            BAD / "xxe.docx",
            edits={
                "word/document.xml": lambda data: data.replace(
                    b"<w:document",
                    b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document',
                    1,
                ).replace("正文".encode(), b"&xxe;")
            },
        )
        empty = docx.Document()
        empty.sections[0].header.paragraphs[0].text = "只有页眉"
        empty.add_paragraph("")
        empty.add_paragraph("\u3000\u3000")
        save(empty, BAD / "empty.docx")
    rewrite_zip(image_fixture, BAD / "missing_image.docx", edits={"word/media/image1.png": None})
    zip_bombs()


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def zip_bombs() -> None:
    """Three ways to exhaust the server: 300 MB of zeros (over the 200 MB total), 20 MB of zeros
    (under the total, but a 1,000:1 ratio), and 3,000 empty parts."""
    for name, size in (("bomb_total.docx", 300 * MB), ("bomb_ratio.docx", 20 * MB)):
        with zipfile.ZipFile(BAD / name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
            with archive.open("word/document.xml", "w", force_zip64=False) as member:
                chunk = bytes(MB)
                for _ in range(size // MB):
                    member.write(chunk)
    members = {f"word/media/part{index}.bin": b"" for index in range(3_000)}
    write_zip(BAD / "bomb_parts.docx", members)


# --- other producers -----------------------------------------------------------------------


def libreoffice() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: LibreOffice fixtures kept as committed")
        return
    for source in sorted(LIBREOFFICE.glob("*.html")) + sorted(LIBREOFFICE.glob("*.fodt")):
        convert = [soffice, "--headless", "--convert-to", "docx:MS Word 2007 XML", str(source)]
        subprocess.run([*convert, "--outdir", str(LIBREOFFICE)], check=True, capture_output=True)
    legacy = [
        soffice,
        "--headless",
        "--convert-to",
        "doc:MS Word 97",
        str(LIBREOFFICE / "numbering_toc.fodt"),
    ]
    with tempfile.TemporaryDirectory() as temporary:
        subprocess.run([*legacy, "--outdir", temporary], check=True, capture_output=True)
        shutil.move(Path(temporary) / "numbering_toc.doc", BAD / "legacy.doc")


def msoffcrypto() -> None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool not installed: bad/encrypted.docx kept as committed")
        return
    with (LIBREOFFICE / "numbering_toc.docx").open("rb") as plain:
        encrypted = io.BytesIO()
        OOXMLFile(plain).encrypt("heating", encrypted)
    (BAD / "encrypted.docx").write_bytes(encrypted.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--others", action="store_true", help="also run LibreOffice and msoffcrypto-tool"
    )
    arguments = parser.parse_args()
    rulebook_004()
    service_standard_002()
    auto_numbering()
    tables()
    image_fixture = images()
    toc_field()
    toc_content_control()
    headers_comments_emphasis()
    wps_styles()
    plain_variants()
    cover_title()
    bad_inputs(image_fixture)
    if arguments.others:
        libreoffice()
        msoffcrypto()


if __name__ == "__main__":
    main()
