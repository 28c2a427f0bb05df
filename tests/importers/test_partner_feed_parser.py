"""Reading partner RSS/Atom feeds into plain entries: text only, times from the Chinese text,
and documents that cannot be read safely and whole refused with a Chinese reason."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from importers.partner_feed import (
    MAX_FEED_BYTES,
    FeedRejected,
    guess_utility,
    html_to_paragraphs,
    parse_partner_feed,
    read_cause,
    read_times,
)
from tests.support import DATA

PARTNER = DATA / "partner"
CST = ZoneInfo("Asia/Shanghai")
PUBLISHED = datetime(2017, 10, 11, 9, 30, tzinfo=CST)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CST)


def parse(name: str, **kwargs):
    return parse_partner_feed((PARTNER / name).read_bytes(), **kwargs)


def rss(items: str, encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>测试</title>{items}</channel></rss>"
    ).encode(encoding)


def test_rss_entries_of_the_water_company():
    feed = parse("water-rss.xml", base_url="https://water.example.cn/feeds/notices.rss")
    assert feed.title == "长春水务集团 停水通知"
    assert not feed.bozo and feed.skipped == ()
    first = feed.entries[0]
    assert first.guid == "water-2017-1013-01"
    assert first.title == "绿园区星宇东泵站停水通知"
    assert first.link == "https://water.example.cn/notice/2017/1013-01.html"  # made absolute
    assert first.summary == (
        "因泵站计划性清洗水箱影响：10月13日8:00—14日7:00 长春市绿园区星宇东泵站"
        "(南至皓月大路,北至西安大路,西至翔运街,东至铁路)停水。\n望广大用户周知并做好储水准备。"
    )
    assert first.published == datetime(2017, 10, 11, 1, 30, tzinfo=UTC)
    assert (first.utility, first.cause) == ("water", "泵站计划性清洗水箱")
    assert (first.starts_at, first.ends_at, first.end_is_estimate) == (
        at(2017, 10, 13, 8),
        at(2017, 10, 14, 7),
        False,
    )


def test_guid_falls_back_to_the_link_and_an_entry_with_neither_is_skipped():
    feed = parse("water-rss.xml")
    assert feed.entries[3].guid == "https://water.example.cn/notice/2017/1013-04.html"
    feed = parse_partner_feed(rss("<item><title>停水</title></item><item><guid>g</guid></item>"))
    assert [entry.guid for entry in feed.entries] == ["g"]
    assert feed.skipped == ("第1条既没有ID也没有链接，无法去重，已跳过",)


def test_an_over_long_guid_is_replaced_by_its_digest():
    [entry] = parse_partner_feed(rss(f"<item><guid>{'x' * 300}</guid></item>")).entries
    assert entry.guid.startswith("sha256:") and len(entry.guid) == 71


def test_atom_entry_prefers_content_and_reads_an_estimated_restoration():
    [entry] = parse("gas-atom.xml").entries
    assert entry.guid == "tag:gas.example.cn,2017:notice-1007"
    assert entry.summary.startswith("长春燃气股份有限公司(以下简称长春燃气)")
    assert entry.summary.count("\n") == 1  # two paragraphs
    assert entry.published == datetime(2017, 10, 11, 2, tzinfo=UTC)  # <updated>
    assert entry.utility == "gas"
    assert entry.cause == ""
    assert (entry.starts_at, entry.ends_at, entry.end_is_estimate) == (
        at(2017, 10, 14),
        at(2017, 10, 22),
        True,
    )


def test_gbk_feed_declared_as_gb2312_keeps_characters_outside_gb2312():
    data = (PARTNER / "gas-gbk.xml").read_bytes()
    assert "李喆".encode("gbk") in data  # 喆 exists in GBK only
    [entry] = parse_partner_feed(data).entries
    assert entry.title == "宽城区铁北二路燃气管线碰口停气通知"
    assert entry.summary.endswith("联系人：李喆。")
    assert (entry.starts_at, entry.ends_at) == (at(2017, 10, 16, 9), at(2017, 10, 16, 17))
    assert entry.cause == "燃气管线碰口施工"


def test_markup_and_scripts_are_stripped_to_text():
    [entry] = parse("xss-rss.xml").entries
    assert entry.link == ""  # javascript: is no link
    assert 'alert("script")' not in entry.summary
    assert "img" not in entry.summary and "onerror" not in entry.summary
    assert "svg" not in entry.summary and "iframe" not in entry.summary
    assert "javascript" not in entry.summary and "onclick" not in entry.summary
    # Text that was escaped in the source is text: the app escapes it again on output.
    assert entry.summary.split("\n") == [
        "因管网抢修影响：10月13日8:00—14日7:00 朝阳区湖西路泵站"
        "(南至工农大路,北至解放大路,西至湖西路,东至西朝阳路)停水。",
        "点击查看详情",
        '<script>alert("escaped")</script>',
        "请做好储水准备。",
    ]


def test_html_to_paragraphs_skips_script_and_style_and_splits_blocks():
    html = (
        "<div>一<br>二</div><style>p{}</style><script>alert(1)</script><ul><li>三&amp;四</li></ul>"
    )
    assert html_to_paragraphs(html) == ["一", "二", "三&四"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "内容为空"),
        (b"x" * (MAX_FEED_BYTES + 1), "超过2MB"),
        ((PARTNER / "xxe-rss.xml").read_bytes(), "声明了XML实体"),
        ((PARTNER / "malformed-rss.xml").read_bytes(), "格式错误（第9行）"),
        (b"<html><body><p>404 Not Found</p></body></html>", "不是RSS或Atom"),
        (b"<rss>\n<channel>\n<title>\n</rss>", "格式错误（第4行）"),
        ("\ufeff".encode("utf-16-le") + rss("").decode().encode("utf-16-le"), "字符编码不受支持"),
    ],
)
def test_unsafe_or_broken_documents_are_refused(data, message):
    with pytest.raises(FeedRejected, match=message):
        parse_partner_feed(data)


def test_bytes_are_never_taken_for_a_file_name(tmp_path):
    # Given bytes, feedparser tries them as a file name first.
    path = tmp_path / "feed.xml"
    path.write_bytes(rss("<item><guid>local-file</guid></item>"))
    with pytest.raises(FeedRejected, match="格式错误"):
        parse_partner_feed(str(path).encode())


def test_entities_hidden_in_utf7_are_refused_by_the_encoding_allowlist():
    # "+ADw-!ENTITY" is "<!ENTITY" in UTF-7, which feedparser would decode and expand.
    body = (
        b'+ADw-!DOCTYPE rss +AFs-+ADw-!ENTITY a +ACI-PWNED+ACI-+AD4-+AF0-+AD4-<rss version="2.0"/>'
    )
    with pytest.raises(FeedRejected, match="“utf-7”不受支持"):
        parse_partner_feed(b'<?xml version="1.0" encoding="utf-7"?>' + body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "因泵站计划性清洗水箱影响:10月13日8:00—14日7:00 长春市绿园区星宇东泵站停水",
            (at(2017, 10, 13, 8), at(2017, 10, 14, 7), False),
        ),
        (
            "停气时间为2017年10月14日至2017年10月21日。预计2017年10月22日开始陆续恢复供气。",
            (at(2017, 10, 14), at(2017, 10, 22), True),
        ),
        # Through the whole last day when no estimate is given.
        ("停气时间为2017年10月14日至2017年10月21日。", (at(2017, 10, 14), at(2017, 10, 22), False)),
        ("10月13日9:00-18:00停水", (at(2017, 10, 13, 9), at(2017, 10, 13, 18), False)),
        (
            "定于10月13日上午8时30分停水，预计当日下午6点恢复供水",
            (at(2017, 10, 13, 8, 30), at(2017, 10, 13, 18), True),
        ),
        (
            "10月13日8:00起停水，预计恢复供水时间：14日18时。",
            (at(2017, 10, 13, 8), at(2017, 10, 14, 18), True),
        ),
        ("10月13日22时至6时停热", (at(2017, 10, 13, 22), at(2017, 10, 14, 6), False)),
        ("10月31日20时至1日6时停热", (at(2017, 10, 31, 20), at(2017, 11, 1, 6), False)),
        ("定于10月13日8时停水", (at(2017, 10, 13, 8), None, False)),
        ("停水时间：10月13日8时，恢复时间另行通知", (at(2017, 10, 13, 8), None, False)),
        # A dateline is not an outage time, and nothing is guessed.
        ("本报讯 10月11日，记者从水务集团获悉，停水时间另行通知。", (None, None, False)),
        ("10月32日8:00停水", (None, None, False)),
        ("10月13日25:00停水", (None, None, False)),
    ],
)
def test_read_times(text, expected):
    times = read_times(text, PUBLISHED)
    assert (times.starts_at, times.ends_at, times.end_is_estimate) == expected


def test_a_missing_year_is_the_one_nearest_the_publication_date():
    december = datetime(2017, 12, 28, tzinfo=CST)
    times = read_times("12月31日20时至1月1日6时停热", december)
    assert (times.starts_at, times.ends_at) == (at(2017, 12, 31, 20), at(2018, 1, 1, 6))
    assert read_times("定于1月3日8时停水", december).starts_at == at(2018, 1, 3, 8)
    january = datetime(2018, 1, 2, tzinfo=CST)
    assert read_times("12月30日8时起停水", january).starts_at == at(2017, 12, 30, 8)


def test_entry_without_publication_date_takes_the_year_from_now():
    data = rss("<item><guid>1</guid><title>10月13日8:00—14日7:00停水</title></item>")
    [entry] = parse_partner_feed(data, now=datetime(2030, 10, 1, tzinfo=UTC)).entries
    assert entry.starts_at == at(2030, 10, 13, 8)


@pytest.mark.parametrize(
    ("text", "utility"),
    [
        ("燃气管网改造 千户居民停气一周", "gas"),
        ("因泵站清洗水箱停水，停气另行通知", "water"),  # the first named
        ("换热站检修停热通知", "heat"),
        ("线路检修停电", "power"),
        ("关于调整营业时间的通知", ""),
    ],
)
def test_guess_utility(text, utility):
    assert guess_utility(text) == utility


def test_read_cause():
    assert read_cause("因泵站计划性清洗水箱影响：10月13日") == "泵站计划性清洗水箱"
    assert read_cause("由于供水管线突发漏水，部分区域停水") == "供水管线突发漏水"
    assert read_cause("停气时间为2017年10月14日至2017年10月21日") == ""
