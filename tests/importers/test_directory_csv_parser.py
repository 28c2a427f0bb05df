"""The CSV parser on its own: encodings, row errors with line numbers, whole-file errors."""

import pytest

from importers.directory_csv import (
    HEADERS,
    DirectoryFileError,
    parse_directory_csv,
    write_directory_csv,
)

HEADER = ",".join(HEADERS)
GOOD = "A-1,星宇小区,星宇东,绿园区,皓月大路,2160,第一供热所,王师傅,13900000001"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([HEADER, *lines]).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_reads_utf8_with_or_without_bom_and_gbk(encoding):
    parsed = parse_directory_csv(csv_bytes(GOOD, encoding=encoding))
    assert parsed.errors == []
    [row] = parsed.rows
    assert (row.code, row.name, row.aliases, row.station, row.households) == (
        "A-1",
        "星宇小区",
        "星宇东",
        "第一供热所",
        2160,
    )


def test_every_bad_row_is_reported_with_its_line_number_in_chinese():
    parsed = parse_directory_csv(
        csv_bytes(
            GOOD,
            "A-2,,,绿园区,,三百,第一供热所,,12-34",
            "A 3,万鑫小区,,绿园区,,100,第二供热所,,",
            "A-1,重复小区,,绿园区,,,第一供热所,,",
        )
    )
    assert [row.code for row in parsed.rows] == ["A-1"]
    messages = [str(error) for error in parsed.errors]
    assert messages[0].startswith("第3行：")
    assert "小区名称不能为空" in messages[0]
    assert "户数“三百”不是有效的整数" in messages[0]
    assert "管理员电话“12-34”格式不正确" in messages[0]
    assert messages[1].startswith("第4行：") and "编号“A 3”只能包含" in messages[1]
    assert messages[2] == "第5行：编号“A-1”与第2行重复"


def test_line_numbers_count_quoted_multiline_cells():
    parsed = parse_directory_csv(
        csv_bytes('A-1,"星宇\n小区",,绿园区,,,第一供热所,,', "A-2,,,绿园区,,,第一供热所,,")
    )
    assert [error.line for error in parsed.errors] == [4]


def test_households_accept_thousands_separators_and_unit():
    parsed = parse_directory_csv(
        csv_bytes(
            'A-1,铁路小区,,宽城区,,"1,007",第五供热所,,', "A-2,甲,,宽城区,,387户,第五供热所,,"
        )
    )
    assert [row.households for row in parsed.rows] == [1007, 387]


def test_synonym_headers_and_missing_optional_columns():
    data = "小区编号,小区,区,换热站\nB-1,安居三期,绿园区,第一供热所\n".encode()
    [row] = parse_directory_csv(data).rows
    assert (row.code, row.name, row.district, row.station, row.manager_phone) == (
        "B-1",
        "安居三期",
        "绿园区",
        "第一供热所",
        "",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (HEADER.encode(), "文件只有表头"),
        ("名称,电话\n星宇,1\n".encode(), "表头缺少必需的列：编号、小区名称、所在区、供热站"),
        (b"PK\x03\x04\x14\x00\x06\x00", "这是 Excel（.xlsx）文件"),
        (b"\x00\x01\x02binary", "这不是文本格式的 CSV 文件"),
        (b"\xff\xfe\xfa\xfb\x81\x30", "文件编码无法识别"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(DirectoryFileError) as error:
        parse_directory_csv(data)
    assert message in str(error.value)


def test_written_csv_reads_back_identically():
    rows = [
        {
            "code": "A-1",
            "name": "星宇小区",
            "aliases": "星宇东、星宇家园",
            "district": "绿园区",
            "address": "皓月大路, 翔运街",
            "households": 2160,
            "station": "第一供热所",
            "manager_name": "王师傅",
            "manager_phone": "13900000001",
        },
    ]
    data = write_directory_csv(rows)
    assert data.startswith("\ufeff".encode())
    [row] = parse_directory_csv(data).rows
    assert row.address == "皓月大路, 翔运街" and row.aliases == "星宇东、星宇家园"
