"""The feed validator (tests/feed_validation.py) itself: minimal valid feeds pass; each rule of
RFC 4287, RFC 6721 and RSS 2.0 it checks refuses a document that breaks it, naming the line;
and it refuses what feedparser, the tolerant reader the other tests also use, accepts."""

import re

import feedparser
import pytest

from tests.feed_validation import SCHEMAS, FeedInvalid, validate_atom, validate_rss

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <title>停供通知</title>
  <link href="https://heat.example.cn/notices/" rel="alternate"/>
  <link href="https://heat.example.cn/feeds/notices.atom" rel="self"/>
  <id>tag:heat.example.cn,2026:feed-all</id>
  <updated>2026-12-01T10:00:00+08:00</updated>
  <author><name>供热公司</name></author>
  <entry>
    <title>【预告】停热通知</title>
    <link href="https://heat.example.cn/notices/42/" rel="alternate"/>
    <id>tag:heat.example.cn,2026:notice-42</id>
    <published>2026-11-30T09:00:00Z</published>
    <updated>2026-12-01T09:30:00.25+08:00</updated>
    <summary type="html">停热：12月3日 8:00—17:00</summary>
  </entry>
</feed>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>停供通知</title>
    <link>https://heat.example.cn/notices/</link>
    <description>全部停供通知。</description>
    <atom:link href="https://heat.example.cn/feeds/notices.rss" rel="self"/>
    <language>zh-CN</language>
    <lastBuildDate>Tue, 01 Dec 2026 10:00:00 +0800</lastBuildDate>
    <item>
      <title>【预告】停热通知</title>
      <link>https://heat.example.cn/notices/42/</link>
      <description>停热：12月3日 8:00—17:00</description>
      <pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
      <guid isPermaLink="false">tag:heat.example.cn,2026:notice-42</guid>
      <category domain="https://heat.example.cn/utilities">停热</category>
      <dc:creator>第一供热所</dc:creator>
    </item>
  </channel>
</rss>
"""

TOMBSTONE = """<at:deleted-entry xmlns:at="http://purl.org/atompub/tombstones/1.0"
      ref="tag:heat.example.cn,2026:notice-41" when="2026-11-30T12:00:00+08:00">
    <at:by><name>审核人</name></at:by>
    <at:comment>误发，已撤回</at:comment>
  </at:deleted-entry>
  <entry>"""


def atom(*replacements) -> bytes:
    return _edit(ATOM, replacements)


def rss(*replacements) -> bytes:
    return _edit(RSS, replacements)


def _edit(text: str, replacements) -> bytes:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def problems(validate, data: bytes, **options) -> list[str]:
    with pytest.raises(FeedInvalid) as raised:
        validate(data, **options)
    return [str(problem) for problem in raised.value.problems]


def line_of(data: bytes, needle: str) -> int:
    """The line of `data` (from 1) where `needle` first appears."""
    lines = data.decode().splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


# Valid documents pass


def test_minimal_valid_feeds_pass():
    validate_atom(atom())
    validate_rss(rss())
    validate_atom(atom(("  <entry>", TOMBSTONE)))  # RFC 6721 tombstone at feed level
    # An Atom Entry Document: the entry carries its own author.
    entry = ATOM[ATOM.index("  <entry>") : ATOM.index("</feed>")].replace(
        "<entry>", '<entry xmlns="http://www.w3.org/2005/Atom"><author><name>甲</name></author>'
    )
    validate_atom(entry.encode())


def test_without_a_feed_author_every_entry_has_its_own_or_its_sources():
    no_feed_author = ("  <author><name>供热公司</name></author>\n", "")
    validate_atom(
        atom(no_feed_author, ("<summary", "<author><name>第一供热所</name></author><summary"))
    )
    validate_atom(
        atom(
            no_feed_author,
            ("<summary", "<source><author><name>合作单位</name></author></source><summary"),
        )
    )


def test_an_extension_after_the_entries_is_not_refused_for_its_place():
    """The RFC's schema puts entries last; its text sets no order (section 4.1.1)."""
    validate_atom(atom(("</feed>", TOMBSTONE.replace("  <entry>", "") + "</feed>")))


# Atom: what feedparser accepts and RFC 4287 forbids


def test_an_entry_without_author_in_a_feed_without_author_is_refused():
    data = atom(("  <author><name>供热公司</name></author>\n", ""))

    parsed = feedparser.parse(data)  # the tolerant reader: no complaint
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == ["【预告】停热通知"]

    [problem] = problems(validate_atom, data)
    assert problem.startswith(f"line {line_of(data, '<entry>')}: atom:entry has no atom:author")
    assert "4.1.1" in problem
    assert "tag:heat.example.cn,2026:notice-42" in problem


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2026-12-01T10:00:00", "RFC 3339"),  # no time zone: xsd:dateTime would take it
        ("2026-12-01 10:00:00+08:00", "RFC 3339"),
        ("2026-12-01t10:00:00z", "RFC 3339"),  # RFC 4287 3.3: upper-case T and Z
        ("2026-02-30T10:00:00Z", "not a real date"),
        ("yesterday", "RFC 3339"),
    ],
)
def test_a_bad_atom_date_is_refused(date, why):
    data = atom(("<updated>2026-12-01T09:30:00.25+08:00</updated>", f"<updated>{date}</updated>"))
    found = problems(validate_atom, data)
    line = line_of(data, f"<updated>{date}</updated>")
    assert any(p.startswith(f"line {line}: atom:updated {date!r}") and why in p for p in found)
    assert feedparser.parse(data).bozo == 0  # feedparser takes every one of them


def test_ids_are_absolute_iris():
    found = problems(validate_atom, atom(("notice-42</id>", "notice-42 x</id>")))
    assert any("atom:id" in p and "' '" in p for p in found)
    found = problems(
        validate_atom, atom(("<id>tag:heat.example.cn,2026:notice-42</id>", "<id>/notices/42</id>"))
    )
    assert any("atom:id '/notices/42' is relative" in p for p in found)
    found = problems(
        validate_atom, atom(("tag:heat.example.cn,2026:feed-all", "tag:heat:feed-all"))
    )
    assert any("not a tag URI (RFC 4151)" in p for p in found)


def test_an_entry_needs_content_or_an_alternate_link():
    data = atom(('    <link href="https://heat.example.cn/notices/42/" rel="alternate"/>\n', ""))
    assert any("neither atom:content nor an atom:link" in p for p in problems(validate_atom, data))
    validate_atom(data.replace(b"<summary", "<content>正文</content><summary".encode()))


def test_out_of_line_and_base64_content_need_a_summary():
    summary = ('<summary type="html">停热：12月3日 8:00—17:00</summary>', "")
    out_of_line = '<content type="application/pdf" src="https://heat.example.cn/42.pdf"/>'
    found = problems(validate_atom, atom(summary, ("<published>", out_of_line + "<published>")))
    assert any("no atom:summary" in p for p in found)
    found = problems(
        validate_atom,
        atom(summary, ("<published>", '<content type="image/png">iVBORw0=</content><published>')),
    )
    assert any("no atom:summary" in p for p in found)
    found = problems(
        validate_atom, atom(("<published>", '<content type="image/png">不是</content><published>'))
    )
    assert any("is not Base64" in p for p in found)
    # XML and text/* content is inline, no summary needed.
    validate_atom(
        atom(summary, ("<published>", '<content type="text/plain">正文</content><published>'))
    )


def test_one_alternate_link_per_type_and_language():
    second = '<link href="https://heat.example.cn/n/42" rel="alternate"/>'
    data = atom(("<published>", second + "<published>"))
    found = problems(validate_atom, data)
    assert any('second atom:link rel="alternate"' in p for p in found)
    validate_atom(
        data.replace(b'42" rel="alternate"/><pub', b'42" rel="alternate" hreflang="en"/><pub')
    )


def test_the_rfc_schema_refuses_what_it_describes():
    """A second atom:title, an unknown Atom element: the schema's own errors, with a line."""
    data = atom(("<published>", "<title>又一个标题</title><published>"))
    assert any("has 2 atom:title" in p for p in problems(validate_atom, data))
    data = atom(("<published>", "<colour>red</colour><published>"))
    found = problems(validate_atom, data)
    assert any(re.match(rf"line {line_of(data, '<colour>')}: .*\(atom\.rng\)", p) for p in found)


# Atom Tombstones (RFC 6721)


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ('ref="tag:heat.example.cn,2026:notice-41"', 'ref="/notices/41/"', "is relative"),
        ('ref="tag:heat.example.cn,2026:notice-41"', 'ref=""', "ref is empty"),
        ('when="2026-11-30T12:00:00+08:00"', 'when="2026-11-30T12:00:00"', "RFC 3339"),
        ('when="2026-11-30T12:00:00+08:00"', 'when="30 Nov 2026"', "RFC 3339"),
        ('ref="tag:heat.example.cn,2026:notice-41" ', "", "has no ref"),
        ("<at:by><name>审核人</name></at:by>", "<at:by>审核人</at:by>", "atom-tombstones.rng"),
    ],
)
def test_a_bad_tombstone_is_refused(old, new, why):
    data = atom(("  <entry>", TOMBSTONE.replace(old, new)))
    found = problems(validate_atom, data)
    assert any(why in p for p in found), found


def test_a_tombstone_is_given_once_per_entry_and_time():
    data = atom(("  <entry>", TOMBSTONE.replace("  <entry>", "") + TOMBSTONE))
    assert any("a second at:deleted-entry" in p for p in problems(validate_atom, data))


# RSS 2.0


def test_an_item_without_title_and_description_is_refused():
    data = rss(
        ("      <title>【预告】停热通知</title>\n", ""),
        ("      <description>停热：12月3日 8:00—17:00</description>\n", ""),
    )
    found = problems(validate_rss, data)
    line = line_of(data, "<item>")
    assert (
        f"line {line}: <item> has neither <title> nor <description> (RSS 2.0: one at least) [item 'tag:heat.example.cn,2026:notice-42']"
        in found
    )
    # Either one is enough.
    validate_rss(rss(("      <title>【预告】停热通知</title>\n", "")))
    validate_rss(rss(("      <description>停热：12月3日 8:00—17:00</description>\n", "")))


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2026-11-30T09:00:00+08:00", "not an RFC 822 date-time"),  # ISO 8601
        ("Mon, 30 Nov 2026 09:00:00", "not an RFC 822 date-time"),  # no zone
        ("Tue, 30 Nov 2026 09:00:00 GMT", "that day is a Mon"),
        ("Mon, 31 Nov 2026 09:00:00 GMT", "not a real date"),
    ],
)
def test_a_bad_rss_date_is_refused(date, why):
    data = rss(("Mon, 30 Nov 2026 09:00:00 GMT", date))
    found = problems(validate_rss, data)
    line = line_of(data, "<pubDate>")
    assert any(p.startswith(f"line {line}: <pubDate> {date!r}") and why in p for p in found), found
    if "T" in date:
        assert feedparser.parse(data).bozo == 0  # the ISO date: feedparser reads it


def test_rss_links_are_absolute_and_a_permalink_guid_is_one():
    found = problems(
        validate_rss,
        rss(("<link>https://heat.example.cn/notices/42/</link>", "<link>/notices/42/</link>")),
    )
    assert any("<item><link> '/notices/42/' is not an absolute URL" in p for p in found)
    # isPermaLink is true unless said otherwise: the guid must then be the item's URL.
    found = problems(validate_rss, rss((' isPermaLink="false"', "")))
    assert any("<guid> (isPermaLink true, its default)" in p for p in found)
    validate_rss(
        rss(
            (
                ' isPermaLink="false">tag:heat.example.cn,2026:notice-42',
                ">https://heat.example.cn/notices/42/",
            )
        )
    )


def test_rss_extensions_only_in_a_declared_namespace_and_dublin_core_by_its_names():
    found = problems(
        validate_rss, rss(("<dc:creator>第一供热所</dc:creator>", "<creator>第一供热所</creator>"))
    )
    assert any("rss-2.0.rng" in p for p in found)
    found = problems(
        validate_rss,
        rss(("<dc:creator>第一供热所</dc:creator>", "<x:creator>第一供热所</x:creator>")),
    )
    assert found == [
        f"line {line_of(rss(), '<dc:creator>')}: not well-formed XML: Namespace prefix x on creator is not defined"
    ]
    found = problems(
        validate_rss,
        rss(("<dc:creator>第一供热所</dc:creator>", "<dc:author>第一供热所</dc:author>")),
    )
    assert any(
        "'author' is not a Dublin Core element of http://purl.org/dc/elements/1.1/" in p
        for p in found
    )
    validate_rss(
        rss(
            (
                "<dc:creator>第一供热所</dc:creator>",
                '<dcterms:modified xmlns:dcterms="http://purl.org/dc/terms/">2026-12-01</dcterms:modified>',
            )
        )
    )


def test_rss_wants_its_self_link_unless_told_otherwise():
    data = rss(
        ('    <atom:link href="https://heat.example.cn/feeds/notices.rss" rel="self"/>\n', "")
    )
    assert any('no atom:link rel="self"' in p for p in problems(validate_rss, data))
    validate_rss(data, require_self_link=False)


def test_every_problem_is_listed_with_its_line():
    data = rss(
        ("<link>https://heat.example.cn/notices/</link>", "<link>notices</link>"),
        ("Mon, 30 Nov 2026 09:00:00 GMT", "2026-11-30"),
    )
    with pytest.raises(FeedInvalid) as raised:
        validate_rss(data)
    message = str(raised.value)
    assert message.startswith("RSS document is not valid (2 problems):\n")
    assert f"line {line_of(data, '<link>notices')}: <channel><link> 'notices'" in message
    assert f"line {line_of(data, '<pubDate>')}: <pubDate> '2026-11-30'" in message
    assert isinstance(raised.value, AssertionError)  # pytest shows it as a failed assertion


def test_not_xml_is_refused_with_its_line():
    [problem] = problems(validate_atom, atom(("</title>", "</titel>")))
    assert problem.startswith("line 3: not well-formed XML")


# The schemas


def test_atom_rng_is_the_rfcs_rnc_converted():
    """atom.rng defines what atom.rnc (RFC 4287 Appendix B) defines, no more, no less."""
    rnc = (SCHEMAS / "atom.rnc").read_text()
    rng = (SCHEMAS / "atom.rng").read_text()
    assert rnc.startswith("# -*- rnc -*-\n# RELAX NG Compact Syntax Grammar for the\n")
    assert set(re.findall(r"^(\w+)\s*=", rnc, re.MULTILINE)) - {"start"} == set(
        re.findall(r'<define name="(\w+)">', rng)
    )
