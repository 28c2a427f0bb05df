"""Outage notices that water, gas and power companies publish as RSS or Atom.

`parse_partner_feed(bytes)` returns each entry as plain data: the text with every tag stripped
(so nothing from outside can reach a page as markup), the utility guessed from 停水/停气/停热/停电,
and the outage times read from the Chinese text ("10月13日8:00—14日7:00",
"2017年10月14日至2017年10月21日", "预计2017年10月22日恢复"). A document that cannot be read safely
and whole raises FeedRejected with a Chinese message for the editors; nothing is guessed.

Safety. feedparser's SAX parser does not fetch external entities or DTDs, but it still expands
entities declared inside the document, and it decodes any encoding the document declares,
UTF-7 included, where "+ADw-!ENTITY" is "<!ENTITY". So only ASCII-compatible encodings (UTF-8,
GBK/GB2312/GB18030, Latin-1) are accepted, and in those any entity declaration shows in the raw
bytes and is refused. Input is handed to feedparser as a stream: given bytes, feedparser tries
them as a file name first."""

import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from hashlib import sha256
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
from feedparser.exceptions import CharacterEncodingOverride

MAX_FEED_BYTES = 2 * 1024 * 1024
MAX_GUID_LENGTH = 255
LOCAL_TIME = ZoneInfo("Asia/Shanghai")

# Declared encodings in which "<!ENTITY" can only be written as those very bytes.
ASCII_COMPATIBLE = {
    "utf-8",
    "utf8",
    "gb2312",
    "gbk",
    "gb18030",
    "cp936",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
}
_ENCODING_ATTRIBUTE = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_NOT_ASCII_COMPATIBLE_STARTS = (b"\xfe\xff", b"\xff\xfe", b"\x4c\x6f\xa7\x94")  # UTF-16, EBCDIC

# Values of notices.enums.Utility (importers import no app), with the words that name them.
UTILITY_WORDS = (
    ("water", re.compile(r"停水|停止供水")),
    ("gas", re.compile(r"停气|停止供气|停供燃气")),
    ("heat", re.compile(r"停热|停暖|停止供热|停止供暖")),
    ("power", re.compile(r"停电|停止供电")),
)


class FeedRejected(ValueError):
    """The feed was not read; the message (Chinese) says why and is shown to editors."""


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    title: str
    link: str  # http(s) only, else ""
    summary: str  # plain text, one paragraph per line
    published: datetime | None
    utility: str  # a notices.enums.Utility value, or "" when the text names none
    cause: str  # "" when the text gives none
    starts_at: datetime | None
    ends_at: datetime | None
    end_is_estimate: bool


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]
    # feedparser's bozo flag for oddities that still leave the document whole (e.g. the declared
    # encoding was wrong and another one worked); a broken document raises FeedRejected instead.
    bozo: bool = False
    bozo_message: str = ""
    skipped: tuple[str, ...] = ()


def parse_partner_feed(
    data: bytes, *, base_url: str = "", now: datetime | None = None
) -> ParsedFeed:
    """Entries of an RSS or Atom document. Relative links resolve against `base_url`; a year
    missing from the text is the entry's publication year (else the year of `now`)."""
    _check_safe(data)
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": "application/xml", "content-location": base_url},
    )
    bozo_message = _bozo_message(result, declared=data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"))
    if not result.get("version") and not result.entries:
        raise FeedRejected("这不是RSS或Atom格式的订阅源。")
    reference = now or datetime.now(UTC)
    entries, skipped = [], []
    for position, raw in enumerate(result.entries, start=1):
        entry = _entry(raw, reference)
        if entry is None:
            skipped.append(f"第{position}条既没有ID也没有链接，无法去重，已跳过")
        else:
            entries.append(entry)
    return ParsedFeed(
        title=_text_of(result.feed, "title"),
        entries=entries,
        bozo=bool(result.bozo),
        bozo_message=bozo_message,
        skipped=tuple(skipped),
    )


def _check_safe(data: bytes) -> None:
    if not data.strip():
        raise FeedRejected("订阅源内容为空。")
    if len(data) > MAX_FEED_BYTES:
        raise FeedRejected(f"订阅源超过{MAX_FEED_BYTES // (1024 * 1024)}MB，已拒绝读取。")
    if data.startswith(_NOT_ASCII_COMPATIBLE_STARTS) or b"\x00" in data:
        raise FeedRejected("订阅源的字符编码不受支持，请使用UTF-8或GBK（GB2312）编码。")
    first_line = data.split(b"\n", 1)[0]
    for declared in _ENCODING_ATTRIBUTE.findall(first_line):
        if declared.strip().lower().decode("ascii", "replace") not in ASCII_COMPATIBLE:
            raise FeedRejected(
                f"订阅源声明的字符编码“{declared.decode('ascii', 'replace')}”不受支持，"
                "请使用UTF-8或GBK（GB2312）编码。"
            )
    if b"<!entity" in data.lower():
        raise FeedRejected("订阅源声明了XML实体（<!ENTITY），出于安全考虑拒绝读取。")


def _bozo_message(result, *, declared: bool) -> str:
    """Nothing for a clean document, a note for a tolerable oddity; FeedRejected for a broken
    one, since feedparser's lenient fallback would turn a truncated download into truncated
    notices."""
    if not result.bozo:
        return ""
    error = result.get("bozo_exception")
    if isinstance(error, CharacterEncodingOverride):
        return f"订阅源声明的字符编码有误，已按{result.get('encoding', '')}读取。"
    line = getattr(error, "getLineNumber", lambda: None)()
    if line and not declared:
        line -= 1  # feedparser put an XML declaration line in front
    reason = getattr(error, "getMessage", lambda: str(error))()
    where = f"（第{line}行）" if line else ""
    raise FeedRejected(f"订阅源格式错误{where}：{reason}")


def _entry(raw, reference: datetime) -> FeedEntry | None:
    link = raw.get("link") or ""
    guid = (raw.get("id") or link).strip()
    if not guid:
        return None
    title = _text_of(raw, "title")
    summary = _summary(raw)
    published = _published(raw)
    text = f"{title}\n{summary}"
    times = read_times(text, published or reference)
    return FeedEntry(
        guid=_short_guid(guid),
        title=title,
        link=link if urlsplit(link).scheme in ("http", "https") else "",
        summary=summary,
        published=published,
        utility=guess_utility(title) or guess_utility(summary),
        cause=read_cause(text),
        starts_at=times.starts_at,
        ends_at=times.ends_at,
        end_is_estimate=times.end_is_estimate,
    )


def _short_guid(guid: str) -> str:
    """GUIDs are compared, never shown: an over-long one is replaced by its digest."""
    if len(guid) <= MAX_GUID_LENGTH:
        return guid
    return "sha256:" + sha256(guid.encode()).hexdigest()


def _published(raw) -> datetime | None:
    parsed: time.struct_time | None = raw.get("published_parsed") or raw.get("updated_parsed")
    if parsed is None:
        return None
    return datetime(*parsed[:6], tzinfo=UTC)


def _summary(raw) -> str:
    """The fullest text the entry carries: Atom content, else the summary/description."""
    for content in raw.get("content") or ():
        text = _plain(content.get("value", ""), content.get("type", ""))
        if text:
            return text
    return _text_of(raw, "summary")


def _text_of(element, key: str) -> str:
    detail = element.get(f"{key}_detail") or {}
    return _plain(element.get(key) or "", detail.get("type", "text/html"))


def _plain(value: str, content_type: str) -> str:
    if content_type == "text/plain":
        paragraphs = value.splitlines()
    else:
        paragraphs = html_to_paragraphs(value)
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


# Plain text from HTML


class _TextExtractor(HTMLParser):
    """Character data only; block elements and <br> end a paragraph; nothing of script, style
    and the like is kept. Character references are decoded: the result is text, not HTML."""

    BREAKS = {
        *("p", "div", "br", "li", "tr", "ul", "ol", "table", "blockquote", "pre", "hr"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer"),
    }
    SILENT = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.silent_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SILENT:
            self.silent_depth += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SILENT:
            self.silent_depth = max(0, self.silent_depth - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.silent_depth:
            self.parts.append(data)


def html_to_paragraphs(html: str) -> list[str]:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return [line for line in "".join(extractor.parts).split("\n") if line.strip()]


# Meaning from the Chinese text


def guess_utility(text: str) -> str:
    """The utility whose word comes first in `text`, or ""."""
    found = [
        (match.start(), utility)
        for utility, words in UTILITY_WORDS
        if (match := words.search(text))
    ]
    return min(found)[1] if found else ""


_CAUSE = re.compile(
    r"(?:因|由于)\s*([^，,。；;：:！!（()）\n]{2,60}?)\s*(?:影响|原因|需要|，|,|。|；|;|：|:)"
)


def read_cause(text: str) -> str:
    """What follows 因 or 由于: "泵站计划性清洗水箱" from "因泵站计划性清洗水箱影响：…"."""
    match = _CAUSE.search(text)
    return match.group(1).removesuffix("的").strip() if match else ""


@dataclass(frozen=True)
class OutageTimes:
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    end_is_estimate: bool = False


def _date(prefix: str, month_required: bool) -> str:
    month = rf"(?P<{prefix}m>\d{{1,2}})\s*月\s*"
    return (
        rf"(?:(?P<{prefix}y>\d{{4}})\s*年\s*)?"
        + (month if month_required else f"(?:{month})?")
        + rf"(?P<{prefix}d>\d{{1,2}})\s*[日号]"
    )


def _clock(prefix: str) -> str:
    return (
        rf"(?P<{prefix}part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间)?\s*(?P<{prefix}h>\d{{1,2}})\s*"
        rf"(?:[:：]\s*(?P<{prefix}min>\d{{2}})|[时点](?:\s*(?P<{prefix}min2>\d{{1,2}})\s*分|(?P<{prefix}half>半))?)"
    )


_TO = r"\s*(?:—{1,2}|–|-|－|~|～|〜|至|到)\s*"
_START = rf"{_date('s', True)}\s*(?:{_clock('s')})?"
# Either part may be missing ("至21日", "—18:00"); an end with neither is no end.
_END = rf"(?:{_date('e', False)}\s*)?(?:{_clock('e')})?"
_RANGE = re.compile(rf"{_START}{_TO}{_END}")
_POINT = re.compile(_START)
_RESTORE = (
    re.compile(rf"预计\s*(?:将于|于|在)?\s*(?:当日|当天)?\s*{_END}[^。；;\n]{{0,12}}?恢复"),
    re.compile(rf"预计恢复(?:供[水气热电暖])?时间\s*[为是:：]?\s*{_END}"),
)
_PM_PARTS = {"下午", "傍晚", "晚上", "夜间"}
_POINT_CONTEXT = 8
_CLAUSE_END = re.compile(r"[，,。；;\n]")
_OUTAGE_TIME_LABEL = re.compile(r"停[水气热电暖]?时间\s*[为是:：]?\s*$")
# A year-less date is put in the year that brings it within this span of the publication date.
_HALF_YEAR = timedelta(days=183)


def read_times(text: str, reference: datetime, zone: tzinfo = LOCAL_TIME) -> OutageTimes:
    """The outage times the text announces, in `zone`. A date without a time of day starts at
    0:00 and, as the end of a range, lasts the whole day; "预计…恢复" gives an estimated end,
    at 0:00 when only the day is given ("预计22日开始陆续恢复")."""
    reference = reference.astimezone(zone)
    start = end = None
    if match := _RANGE.search(text):
        start = _start_moment(match, reference, zone)
        end = _end_moment(match, start, zone, whole_day=True)
    elif match := _lone_point(text):
        start = _start_moment(match, reference, zone)
    if start is None:
        return OutageTimes()
    if estimate := _estimated_end(text, start, zone):
        return OutageTimes(start, estimate, end_is_estimate=True)
    return OutageTimes(start, end)


def _lone_point(text: str) -> re.Match | None:
    """A date alone is the start only when the text says so: "定于10月13日8时停水",
    "10月13日8:00起停水", "停水时间：10月13日8时" — not the dateline "10月11日，记者获悉"."""
    for match in _POINT.finditer(text):
        after = _CLAUSE_END.split(text[match.end() : match.end() + _POINT_CONTEXT], maxsplit=1)[0]
        before = text[max(0, match.start() - _POINT_CONTEXT) : match.start()]
        if "停" in after or _OUTAGE_TIME_LABEL.search(before):
            return match
    return None


def _estimated_end(text: str, start: datetime, zone: tzinfo) -> datetime | None:
    """The first "预计…恢复" in the text that names a time."""
    matches = sorted(
        (match for pattern in _RESTORE for match in pattern.finditer(text)),
        key=lambda match: match.start(),
    )
    for match in matches:
        if estimate := _end_moment(match, start, zone):
            return estimate
    return None


def _start_moment(match: re.Match, reference: datetime, zone: tzinfo) -> datetime | None:
    """A missing year is the one that puts the date within half a year of the reference."""
    fields = match.groupdict()
    month, day = int(fields["sm"]), int(fields["sd"])
    if fields["sy"]:
        return _build(int(fields["sy"]), month, day, fields, "s", zone)
    moment = _build(reference.year, month, day, fields, "s", zone)
    if moment is not None and moment < reference - _HALF_YEAR:
        return _build(reference.year + 1, month, day, fields, "s", zone)
    if moment is not None and moment > reference + _HALF_YEAR:
        return _build(reference.year - 1, month, day, fields, "s", zone)
    return moment


def _end_moment(
    match: re.Match, start: datetime | None, zone: tzinfo, *, whole_day: bool = False
) -> datetime | None:
    """An end relative to its start: a missing year, month or day is the start's, rolling over
    to the next month or day when the end would otherwise come first ("31日20时至1日6时")."""
    fields = match.groupdict()
    if start is None or (fields["ed"] is None and fields["eh"] is None):
        return None
    if fields["ed"] is None:  # a time only: on the start's day, or the next
        end = _build(start.year, start.month, start.day, fields, "e", zone)
        return end + timedelta(days=1) if end is not None and end <= start else end
    year = int(fields["ey"]) if fields["ey"] else start.year
    month = int(fields["em"]) if fields["em"] else start.month
    day = int(fields["ed"])
    if not fields["em"] and day < start.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif not fields["ey"] and month < start.month:
        year += 1
    end = _build(year, month, day, fields, "e", zone)
    if end is not None and whole_day and fields["eh"] is None:
        end += timedelta(days=1)  # "至21日": through the whole 21st
    return end


def _build(year: int, month: int, day: int, fields: dict, prefix: str, zone) -> datetime | None:
    """None for a date or time that does not exist (31 June, 25:00)."""
    hour, minute = _hour_minute(fields, prefix)
    try:
        moment = datetime(year, month, day, tzinfo=zone)
    except ValueError:
        return None
    if hour is None:
        return moment
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return moment + timedelta(hours=hour, minutes=minute)


def _hour_minute(fields: dict, prefix: str) -> tuple[int | None, int]:
    if fields.get(f"{prefix}h") is None:
        return None, 0
    hour = int(fields[f"{prefix}h"])
    part = fields[f"{prefix}part"]
    if (part in _PM_PARTS and hour < 12) or (part == "中午" and hour < 6):
        hour += 12
    elif part == "凌晨" and hour == 12:
        hour = 0
    minute = fields[f"{prefix}min"] or fields[f"{prefix}min2"]
    if fields[f"{prefix}half"]:
        minute = "30"
    return hour, int(minute or 0)
