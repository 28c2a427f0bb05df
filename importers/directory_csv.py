"""The community directory as a spreadsheet keeps it: one CSV row per community.

`parse_directory_csv(bytes)` returns every valid row and every bad row's line number and
reason; it never stops at the first error, so an editor can fix the whole file at once."""

import csv
import io
import re
from dataclasses import dataclass

from importers.csv_safety import unescaped
from importers.text_decoding import UndecodableText, decode_chinese_text

# Column order of the exported file; import accepts the listed synonyms too.
COLUMNS = {
    "code": ("编号", "小区编号"),
    "name": ("小区名称", "小区"),
    "aliases": ("别名",),
    "district": ("所在区", "区", "行政区"),
    "address": ("地址", "小区地址"),
    "households": ("户数", "供热户数"),
    "station": ("供热站", "换热站", "供热所"),
    "manager_name": ("小区供暖管理员", "管理员"),
    "manager_phone": ("管理员电话", "电话", "联系电话"),
}
REQUIRED = ("code", "name", "district", "station")
HEADERS = [names[0] for names in COLUMNS.values()]
MAX_LENGTHS = {
    "code": 40,
    "name": 60,
    "aliases": 200,
    "district": 30,
    "address": 160,
    "station": 60,
    "manager_name": 30,
    "manager_phone": 30,
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
# 5 to 20 digits, single spaces or hyphens between them: 96609, 0431-0000-5511, 139 0000 0001.
PHONE_PATTERN = re.compile(r"^\+?(?:[0-9][\- ]?){4,19}[0-9]$")
MAX_ROWS = 20_000
# Columns holding whole numbers; the caller gives each one's range (its database field's).
NUMBER_FIELDS = ("households",)
MAX_DIGITS = 40


class DirectoryFileError(ValueError):
    """The file as a whole cannot be read (encoding, format, missing columns)."""


@dataclass(frozen=True)
class DirectoryRow:
    line: int
    code: str
    name: str
    aliases: str
    district: str
    address: str
    households: int | None
    station: str
    manager_name: str
    manager_phone: str


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


@dataclass
class ParsedDirectory:
    rows: list[DirectoryRow]
    errors: list[RowError]


def parse_directory_csv(
    data: bytes, ranges: dict[str, tuple[int, int]] | None = None
) -> ParsedDirectory:
    """`ranges`: per number field, the smallest and largest value its store takes; a number
    outside is a row error, like any other."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DirectoryFileError("文件是空的，没有表头和数据。") from None
    except csv.Error as exc:
        raise DirectoryFileError(f"无法按 CSV 格式读取：{exc}") from None
    positions = _column_positions(header)

    rows: list[DirectoryRow] = []
    errors: list[RowError] = []
    first_line_of_code: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise DirectoryFileError(f"文件超过{MAX_ROWS}行，请拆分后分批导入。")
            values = {
                field: (_cell(record[index]) if index < len(record) else "")
                for field, index in positions.items()
            }
            problems = _validate(values, ranges or {})
            code = values["code"]
            if code and code in first_line_of_code:
                problems.append(f"编号“{code}”与第{first_line_of_code[code]}行重复")
            if problems:
                errors.append(RowError(line, "；".join(problems)))
                continue
            first_line_of_code[code] = line
            rows.append(_row(line, values))
    except csv.Error as exc:
        raise DirectoryFileError(f"第{reader.line_num}行无法按 CSV 格式读取：{exc}") from None
    if not rows and not errors:
        raise DirectoryFileError("文件只有表头，没有小区数据。")
    return ParsedDirectory(rows=rows, errors=errors)


def write_directory_csv(rows: list[dict]) -> bytes:
    """Rows as dicts keyed like COLUMNS → UTF-8 CSV with a BOM, so Excel shows the Chinese."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if row.get(field) is None else row[field] for field in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise DirectoryFileError(
            "这是 Excel（.xlsx）文件，请在 Excel 或 WPS 中“另存为”CSV 后再导入。"
        )
    if b"\x00" in data[:4096]:
        raise DirectoryFileError("这不是文本格式的 CSV 文件，请另存为 CSV 后再导入。")
    try:
        return decode_chinese_text(data)
    except UndecodableText as exc:
        raise DirectoryFileError(str(exc)) from None


def _cell(text: str) -> str:
    """A cell's value: trimmed, without the apostrophe an export put before a formula-like
    value ("'=1+1" → "=1+1")."""
    return unescaped(text).strip()


def _column_positions(header: list[str]) -> dict[str, int]:
    cleaned = [cell.strip().lstrip("\ufeff") for cell in header]
    positions: dict[str, int] = {}
    for field, names in COLUMNS.items():
        for index, cell in enumerate(cleaned):
            if cell in names:
                positions[field] = index
                break
    missing = [COLUMNS[field][0] for field in REQUIRED if field not in positions]
    if missing:
        raise DirectoryFileError(
            f"表头缺少必需的列：{'、'.join(missing)}。第一行应为：{','.join(HEADERS)}"
        )
    for field in COLUMNS:
        positions.setdefault(field, len(header) + 1_000)  # absent optional column → empty
    return positions


def _validate(values: dict[str, str], ranges: dict) -> list[str]:
    problems = [f"{COLUMNS[field][0]}不能为空" for field in REQUIRED if not values[field]]
    for field, limit in MAX_LENGTHS.items():
        if len(values[field]) > limit:
            problems.append(f"{COLUMNS[field][0]}超过{limit}个字")
    if values["code"] and not CODE_PATTERN.match(values["code"]):
        problems.append(f"编号“{values['code']}”只能包含字母、数字、短横线和下划线")
    for field in NUMBER_FIELDS:
        if values[field]:
            problems += _number_problems(field, values[field], ranges.get(field))
    if values["manager_phone"] and not PHONE_PATTERN.match(values["manager_phone"]):
        problems.append(f"管理员电话“{values['manager_phone']}”格式不正确")
    return problems


def _number_problems(field: str, text: str, bounds: tuple[int, int] | None) -> list[str]:
    label, shown = COLUMNS[field][0], text if len(text) <= 30 else f"{text[:30]}…"
    number = _whole_number(text)
    if number is None:
        return [f"{label}“{shown}”不是有效的整数"]
    if bounds and not bounds[0] <= number <= bounds[1]:
        return [f"{label}“{shown}”超出范围，应在{bounds[0]}到{bounds[1]}之间"]
    return []


def _whole_number(value: str) -> int | None:
    """Digits with thousands separators and 户; more than MAX_DIGITS digits read as
    10**MAX_DIGITS, beyond any column's range (int() refuses over 4,300 digits anyway)."""
    cleaned = value.replace(",", "").replace("，", "").removesuffix("户").strip()
    if not cleaned.isdigit() or not cleaned.isascii():
        return None
    cleaned = cleaned.lstrip("0") or "0"
    return 10**MAX_DIGITS if len(cleaned) > MAX_DIGITS else int(cleaned)


def _row(line: int, values: dict[str, str]) -> DirectoryRow:
    return DirectoryRow(
        line=line,
        code=values["code"],
        name=values["name"],
        aliases=values["aliases"],
        district=values["district"],
        address=values["address"],
        households=_whole_number(values["households"]) if values["households"] else None,
        station=values["station"],
        manager_name=values["manager_name"],
        manager_phone=values["manager_phone"],
    )
