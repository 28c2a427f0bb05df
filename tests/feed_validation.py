"""RSS 2.0 and Atom 1.0 checked as their specifications define them, not as a tolerant reader
takes them: feedparser reads an Atom entry that has no author in a feed that has none, which
RFC 4287 forbids, and an RSS date in ISO format. `validate_atom` and `validate_rss` raise
`FeedInvalid`, listing every problem found with its line.

Atom: RFC 4287's RELAX NG schema (its Appendix B, tests/data/schemas/atom.rnc, as atom.rng), then
what the schema cannot say and the RFC's text requires (its "MUST"s): authors, the atom:summary
of out-of-line or Base64 content, one alternate link per type and language, RFC 3339 dates,
absolute IRIs as ids. The RFC's schema is informative ("the text of this specification provides
the definition of conformance", section 1.3); its two Schematron rules are checked here in Python,
since lxml runs only ISO Schematron. Atom Tombstones (RFC 6721, at:deleted-entry) are checked
when present, against atom-tombstones.rng and the same date and IRI rules.

RSS: the RSS Advisory Board's RSS 2.0 specification, as a RELAX NG schema of its structure
(rss-2.0.rng) and, in Python, RFC 822 dates, absolute URLs, permalink GUIDs, e-mail addresses, the
atom:link to the feed itself and the Dublin Core element names.

Feeds are parsed as the tests parse every XML they read (core.xml_safety): no DTD, no entity, no
network."""

import base64
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache
from urllib.parse import urlsplit

from lxml import etree

from core.xml_safety import safe_parser
from tests.support import DATA

SCHEMAS = DATA / "schemas"

ATOM_NS = "http://www.w3.org/2005/Atom"
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"
DC_ELEMENTS_NS = "http://purl.org/dc/elements/1.1/"
DC_TERMS_NS = "http://purl.org/dc/terms/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ATOM_CONTENT_TYPE = "application/atom+xml"
RSS_CONTENT_TYPE = "application/rss+xml"

# The fifteen elements of the Dublin Core Metadata Element Set 1.1, and the properties of DCMI
# Metadata Terms (which repeat the fifteen in their own namespace).
DC_ELEMENTS = frozenset(
    "contributor coverage creator date description format identifier language publisher "
    "relation rights source subject title type".split()
)
DC_TERMS = DC_ELEMENTS | frozenset(
    "abstract accessRights accrualMethod accrualPeriodicity accrualPolicy alternative audience "
    "available bibliographicCitation conformsTo created dateAccepted dateCopyrighted "
    "dateSubmitted educationLevel extent hasFormat hasPart hasVersion instructionalMethod "
    "isFormatOf isPartOf isReferencedBy isReplacedBy isRequiredBy issued isVersionOf license "
    "mediator medium modified provenance references replaces requires rightsHolder spatial "
    "tableOfContents temporal valid".split()
)
DUBLIN_CORE = {DC_ELEMENTS_NS: DC_ELEMENTS, DC_TERMS_NS: DC_TERMS}


@dataclass(frozen=True, order=True)
class Problem:
    line: int  # 0 when the parser or the schema could not tell
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class FeedInvalid(AssertionError):
    """A feed that breaks its specification; `problems` lists each break, by line."""

    def __init__(self, what: str, problems: list[Problem]):
        self.problems = sorted(set(problems))
        listed = "\n".join(f"  {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(f"{what} is not valid ({count} problem{'s' * (count > 1)}):\n{listed}")


class _Problems(list):
    def add(self, where, message: str) -> None:
        """`where`: the element at fault, named by its entry or item too (a generated feed is
        often one long line), or a line number."""
        if isinstance(where, etree._Element):
            self.append(Problem(where.sourceline or 0, message + _context(where)))
        else:
            self.append(Problem(where or 0, message))

    def check(self, what: str) -> None:
        if self:
            raise FeedInvalid(what, list(self))


def validate_atom(data: bytes) -> None:
    """An Atom Feed or Entry Document (RFC 4287), with any Atom Tombstones (RFC 6721)."""
    problems = _Problems()
    root = _parse(data, "Atom document")
    if root.tag not in (_atom("feed"), _atom("entry")):
        problems.add(root, f"the root element is {_name(root)}, not atom:feed or atom:entry")
        problems.check("Atom document")
    _entries_last(root)
    _schema_problems("atom.rng", root, problems)
    if root.tag == _atom("feed"):
        _check_feed(root, problems)
    else:
        _check_entry(root, feed_has_author=False, problems=problems)
    for container in _atom_containers(root):
        _check_metadata(container, problems)
    _check_tombstones(root, problems)
    _check_dublin_core(root, problems)
    problems.check("Atom document")


def validate_rss(data: bytes, *, require_self_link: bool = True) -> None:
    """An RSS 2.0 document. The Advisory Board's profile recommends an atom:link rel="self" to
    the feed's own address; every feed of the site has one, so it is required unless told not."""
    problems = _Problems()
    root = _parse(data, "RSS document")
    _schema_problems("rss-2.0.rng", root, problems)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        problems.add(root, 'not an RSS 2.0 document: <rss version="2.0"> with one <channel>')
        problems.check("RSS document")
    _check_channel(channel, problems, require_self_link=require_self_link)
    _check_dublin_core(root, problems)
    problems.check("RSS document")


def validate_response(response) -> None:
    """The feed in a Django test response, by its Content-Type."""
    content_type = response["Content-Type"].split(";")[0].strip()
    if content_type == ATOM_CONTENT_TYPE:
        validate_atom(response.content)
    elif content_type == RSS_CONTENT_TYPE:
        validate_rss(response.content)
    else:
        raise AssertionError(f"not a feed: Content-Type {response['Content-Type']}")


# Parsing and schemas


def _parse(data: bytes, what: str) -> etree._Element:
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
        problem = Problem(exc.lineno or 0, f"not well-formed XML: {message}")
        raise FeedInvalid(what, [problem]) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and dtd.entities():
        raise FeedInvalid(what, [Problem(1, "declares entities (a feed has no use for a DTD)")])
    return root


@cache
def _schema(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(file=str(SCHEMAS / name))


def _schema_problems(name: str, element: etree._Element, problems: _Problems) -> None:
    schema = _schema(name)
    if not schema.validate(element):
        for error in schema.error_log:
            problems.add(error.line, f"{error.message} ({name})")


def _entries_last(feed: etree._Element) -> None:
    """RFC 4287's text sets no order among a feed's children, its schema wants the entries last:
    whatever follows the first entry and is not an entry moves before it, in its order, so the
    schema checks everything but the order (lines stay those of the document)."""
    entries = feed.findall(_atom("entry"))
    if not entries:
        return
    later = [child for child in entries[0].itersiblings() if child.tag != _atom("entry")]
    for child in later:
        entries[0].addprevious(child)


# Atom (RFC 4287)


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _name(element: etree._Element) -> str:
    qname = etree.QName(element)
    prefix = {ATOM_NS: "atom", TOMBSTONES_NS: "at"}.get(qname.namespace, element.prefix)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _has_author(entry: etree._Element) -> bool:
    """An entry's own author, or its atom:source's, which then applies to it (section 4.2.1)."""
    return entry.find(_atom("author")) is not None or (
        entry.find(f"{_atom('source')}/{_atom('author')}") is not None
    )


def _context(element: etree._Element) -> str:
    """The entry, item or tombstone that holds `element`, by its id, guid, title or link."""
    for holder in (element, *element.iterancestors()):
        if holder.tag == _atom("entry"):
            label = holder.findtext(_atom("id"))
        elif holder.tag == "item":
            label = holder.findtext("guid") or holder.findtext("title") or holder.findtext("link")
        elif holder.tag == f"{{{TOMBSTONES_NS}}}deleted-entry":
            label = holder.get("ref")
        else:
            continue
        return f" [{_name(holder)} {label.strip()!r}]" if label else f" [an {_name(holder)}]"
    return ""


def _check_feed(feed: etree._Element, problems: _Problems) -> None:
    _cardinality(feed, problems, exactly=("id", "title", "updated"))
    _cardinality(feed, problems, at_most=("generator", "icon", "logo", "rights", "subtitle"))
    _check_alternates(feed, problems)
    feed_has_author = feed.find(_atom("author")) is not None
    for entry in feed.iterfind(_atom("entry")):
        _check_entry(entry, feed_has_author=feed_has_author, problems=problems)


def _check_entry(entry: etree._Element, *, feed_has_author: bool, problems: _Problems) -> None:
    _cardinality(entry, problems, exactly=("id", "title", "updated"))
    _cardinality(entry, problems, at_most=("content", "published", "rights", "source", "summary"))
    _check_alternates(entry, problems)
    if not feed_has_author and not _has_author(entry):
        problems.add(
            entry,
            "atom:entry has no atom:author, nor has its atom:source or the feed "
            "(RFC 4287 4.1.1, 4.1.2)",
        )
    content = entry.find(_atom("content"))
    if content is None:
        if not [link for link in entry.iterfind(_atom("link")) if _is_alternate(link)]:
            problems.add(
                entry,
                'atom:entry has neither atom:content nor an atom:link rel="alternate" '
                "(RFC 4287 4.1.2)",
            )
    elif _content_needs_summary(content, problems) and entry.find(_atom("summary")) is None:
        problems.add(
            entry,
            "atom:entry has out-of-line (src) or Base64 atom:content but no atom:summary "
            "(RFC 4287 4.1.2)",
        )


def _cardinality(container, problems, *, exactly=(), at_most=()) -> None:
    for name in (*exactly, *at_most):
        count = len(container.findall(_atom(name)))
        if count > 1 or (count == 0 and name in exactly):
            wanted = "exactly one" if name in exactly else "at most one"
            problems.add(
                container,
                f"{_name(container)} has {count} atom:{name}, RFC 4287 wants {wanted}",
            )


def _is_alternate(link: etree._Element) -> bool:
    return link.get("rel", "alternate") in (
        "alternate",
        "http://www.iana.org/assignments/relation/alternate",
    )


def _check_alternates(container: etree._Element, problems: _Problems) -> None:
    seen = set()
    for link in container.iterfind(_atom("link")):
        if not _is_alternate(link):
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in seen:
            problems.add(
                link,
                f'{_name(container)} has a second atom:link rel="alternate" with type '
                f"{key[0]!r} and hreflang {key[1]!r} (RFC 4287 4.1.1, 4.1.2)",
            )
        seen.add(key)


_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;\s*\S.*)?", re.ASCII
)


def _content_needs_summary(content: etree._Element, problems: _Problems) -> bool:
    """Section 4.1.3's rules for atom:content; True when the entry then needs an atom:summary:
    out-of-line content (src) or content in Base64 (a media type neither XML nor text/*)."""
    kind = content.get("type", "text")
    src = content.get("src")
    if src is not None:
        _check_iri(content, "src", src, problems, absolute=False)
        if kind in ("text", "html", "xhtml"):
            problems.add(
                content, "atom:content with src has a type that is not a MIME media type (4.1.3.1)"
            )
        return True
    if kind in ("text", "html", "xhtml"):
        return False
    if not _MEDIA_TYPE.fullmatch(kind):
        problems.add(
            content, f"atom:content type {kind!r} is not text, html, xhtml or a media type"
        )
        return False
    base = kind.split(";")[0].strip().lower()
    if base.startswith(("multipart/", "message/")):
        problems.add(content, f"atom:content type {kind!r} is a composite type (4.1.3.1)")
    if base.endswith(("+xml", "/xml")):
        return False
    if len(content):
        problems.add(content, f"atom:content of type {kind!r} holds child elements (4.1.3.3)")
    if base.startswith("text/"):
        return False
    try:
        base64.b64decode("".join((content.text or "").split()), validate=True)
    except ValueError:  # binascii.Error, or characters outside ASCII
        problems.add(content, f"atom:content of type {kind!r} is not Base64 (4.1.3.3)")
    return True


def _atom_containers(root: etree._Element):
    """The feed, its entries and their sources: where Atom's metadata elements are."""
    yield root
    yield from root.iterfind(_atom("entry"))
    yield from root.iter(_atom("source"))


def _check_metadata(container: etree._Element, problems: _Problems) -> None:
    """Dates, identifiers and IRIs of the elements directly in a feed, entry or source."""
    for name in ("updated", "published"):
        for element in container.iterfind(_atom(name)):
            _check_rfc3339(element, f"atom:{name}", element.text or "", problems)
    for element in container.iterfind(_atom("id")):
        _check_iri(element, "atom:id", element.text or "", problems, absolute=True)
    for name in ("icon", "logo"):
        for element in container.iterfind(_atom(name)):
            _check_iri(element, f"atom:{name}", element.text or "", problems, absolute=False)
    for link in container.iterfind(_atom("link")):
        _check_iri(link, "atom:link href", link.get("href", ""), problems, absolute=False)
    for category in container.iterfind(_atom("category")):
        if category.get("scheme") is not None:
            _check_iri(category, "atom:category scheme", category.get("scheme"), problems)
    for generator in container.iterfind(_atom("generator")):
        if generator.get("uri") is not None:
            _check_iri(generator, "atom:generator uri", generator.get("uri"), problems)
    for person in (*container.iterfind(_atom("author")), *container.iterfind(_atom("contributor"))):
        for uri in person.iterfind(_atom("uri")):
            _check_iri(uri, f"{_name(person)} atom:uri", uri.text or "", problems)
    for element in container.iter():
        base = element.get(f"{{{XML_NS}}}base")
        if base is not None:
            _check_iri(element, "xml:base", base, problems)


# Atom Tombstones (RFC 6721)


def _check_tombstones(root: etree._Element, problems: _Problems) -> None:
    seen = set()
    for tombstone in root.iter(f"{{{TOMBSTONES_NS}}}deleted-entry"):
        _schema_problems("atom-tombstones.rng", tombstone, problems)
        ref, when = tombstone.get("ref"), tombstone.get("when")
        if ref is None:
            problems.add(tombstone, "at:deleted-entry has no ref (RFC 6721 3)")
        else:
            _check_iri(tombstone, "at:deleted-entry ref", ref, problems, absolute=True)
        if when is None:
            problems.add(tombstone, "at:deleted-entry has no when (RFC 6721 3)")
        else:
            _check_rfc3339(tombstone, "at:deleted-entry when", when, problems)
        if (ref, when) in seen:
            problems.add(tombstone, f"a second at:deleted-entry for {ref} at {when} (RFC 6721)")
        seen.add((ref, when))


# Dates and IRIs

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))", re.ASCII
)


def _check_rfc3339(where, what: str, value: str, problems: _Problems) -> None:
    """RFC 3339's date-time, with RFC 4287's upper-case T and Z (section 3.3): a time zone is
    required, which xsd:dateTime, the schema's type, leaves optional."""
    match = _RFC3339.fullmatch(value)
    if match is None:
        problems.add(
            where,
            f"{what} {value!r} is not an RFC 3339 date-time "
            "(2026-12-01T10:00:00+08:00: upper-case T, then Z or an offset)",
        )
        return
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    try:
        # 60 is a leap second; the offset must be a real one.
        datetime(year, month, day, hour, minute, min(second, 59))
        if match[9]:
            timezone(timedelta(hours=int(match[10]), minutes=int(match[11])))
            if int(match[11]) > 59:
                raise ValueError
    except ValueError:
        problems.add(where, f"{what} {value!r} is not a real date and time")


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):", re.ASCII)
_NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DNS_NAME = (
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)
# RFC 4151: tag:authority,date:specific[#fragment]
_TAG_URI = re.compile(
    rf"tag:(?:{_DNS_NAME}|[A-Za-z0-9._-]+@{_DNS_NAME}),\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?:"
    r"[^#]*(?:#.*)?",
    re.ASCII,
)


def _check_iri(where, what: str, value: str, problems: _Problems, *, absolute=False) -> None:
    """An IRI reference (RFC 3987); `absolute`: an IRI, which excludes relative references."""
    bad = _NOT_IN_IRI.search(value)
    if not value:
        problems.add(where, f"{what} is empty")
    elif bad:
        problems.add(where, f"{what} {value!r} holds {bad[0]!r}, which an IRI cannot")
    elif _BAD_PERCENT.search(value):
        problems.add(where, f"{what} {value!r} has a % not followed by two hex digits")
    elif absolute and not _SCHEME.match(value):
        problems.add(where, f"{what} {value!r} is relative, not an IRI (RFC 4287 4.2.6)")
    elif absolute:
        scheme = _SCHEME.match(value)[1].lower()
        if scheme == "tag" and not _TAG_URI.fullmatch(value):
            problems.add(where, f"{what} {value!r} is not a tag URI (RFC 4151)")
        if scheme in ("http", "https") and not urlsplit(value).netloc:
            problems.add(where, f"{what} {value!r} has no host")


# RSS 2.0

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RFC822 = re.compile(
    r"(?:(?P<day>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:\d{4}|\d{2}) "
    r"\d{2}:\d{2}(?::\d{2})? (?:UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z]|[+-]\d{4})",
    re.ASCII,
)
_EMAIL = re.compile(r"[^@\s()]+@[^@\s()]+\.[^@\s()]+(?: \(.+\))?")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", re.ASCII)


def _check_channel(channel: etree._Element, problems: _Problems, *, require_self_link) -> None:
    for name in ("title", "link", "description"):
        if channel.find(name) is None:
            problems.add(channel, f"<channel> has no <{name}>")
    _check_url(channel.find("link"), "<channel><link>", problems)
    _check_url(channel.find("docs"), "<docs>", problems)
    for name in ("pubDate", "lastBuildDate"):
        _check_rfc822(channel.find(name), problems)
    for name in ("managingEditor", "webMaster"):
        _check_email(channel.find(name), problems)
    language = channel.find("language")
    if language is not None and not _LANGUAGE.fullmatch((language.text or "").strip()):
        problems.add(language, f"<language> {language.text!r} is not a language code")
    for image in channel.iterfind("image"):
        _check_url(image.find("url"), "<image><url>", problems)
        _check_url(image.find("link"), "<image><link>", problems)
    for text_input in channel.iterfind("textInput"):
        _check_url(text_input.find("link"), "<textInput><link>", problems)
    _check_atom_links(channel, problems, require_self_link=require_self_link)
    for item in channel.iterfind("item"):
        _check_item(item, problems)


def _check_item(item: etree._Element, problems: _Problems) -> None:
    if item.find("title") is None and item.find("description") is None:
        problems.add(item, "<item> has neither <title> nor <description> (RSS 2.0: one at least)")
    _check_url(item.find("link"), "<item><link>", problems)
    _check_url(item.find("comments"), "<comments>", problems)
    _check_rfc822(item.find("pubDate"), problems)
    _check_email(item.find("author"), problems)
    for enclosure in item.iterfind("enclosure"):
        _check_url(enclosure, "<enclosure url>", problems, enclosure.get("url"), http_only=True)
    for source in item.iterfind("source"):
        _check_url(source, "<source url>", problems, source.get("url"))
    guid = item.find("guid")
    if guid is not None:
        if not (guid.text or "").strip():
            problems.add(guid, "<guid> is empty")
        elif guid.get("isPermaLink", "true") == "true":
            # isPermaLink defaults to true: the guid is then the item's URL.
            _check_url(guid, "<guid> (isPermaLink true, its default)", problems, http_only=True)
    _check_atom_links(item, problems, require_self_link=False)


def _check_url(element, what, problems, value=None, *, http_only=False) -> None:
    """An absolute URL: a scheme, and a host for http(s)."""
    if element is None:
        return
    url = (value if value is not None else element.text or "").strip()
    scheme = _SCHEME.match(url)
    split = urlsplit(url)
    if _NOT_IN_IRI.search(url) or _BAD_PERCENT.search(url):
        problems.add(element, f"{what} {url!r} is not a URL")
    elif scheme is None:
        problems.add(element, f"{what} {url!r} is not an absolute URL")
    elif http_only and scheme[1].lower() not in ("http", "https"):
        problems.add(element, f"{what} {url!r} is not an http(s) URL")
    elif scheme[1].lower() in ("http", "https", "ftp") and not split.netloc:
        problems.add(element, f"{what} {url!r} has no host")


def _check_rfc822(element, problems: _Problems) -> None:
    """RFC 822's date-time, with RSS's four-digit years allowed: parsed by email.utils, and the
    day name, when there is one, the date's own."""
    if element is None:
        return
    value = (element.text or "").strip()
    what = f"<{element.tag}> {value!r}"
    match = _RFC822.fullmatch(value)
    if match is None:
        problems.add(
            element, f"{what} is not an RFC 822 date-time (Tue, 01 Dec 2026 10:00:00 +0800)"
        )
        return
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        problems.add(element, f"{what} is not a real date and time")
        return
    if match["day"] and _DAY_NAMES[parsed.weekday()] != match["day"]:
        problems.add(element, f"{what}: that day is a {_DAY_NAMES[parsed.weekday()]}")


def _check_email(element, problems: _Problems) -> None:
    if element is not None and not _EMAIL.fullmatch((element.text or "").strip()):
        problems.add(
            element, f"<{element.tag}> {element.text!r} is not an e-mail address (RSS 2.0)"
        )


def _check_atom_links(container, problems: _Problems, *, require_self_link) -> None:
    links = container.findall(_atom("link"))
    for link in links:
        _check_url(link, "atom:link href", problems, link.get("href", ""))
    if require_self_link and not [link for link in links if link.get("rel") == "self"]:
        problems.add(container, 'no atom:link rel="self" to the feed\'s own address')


# Both


def _check_dublin_core(root: etree._Element, problems: _Problems) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        qname = etree.QName(element)
        names = DUBLIN_CORE.get(qname.namespace)
        if names is not None and qname.localname not in names:
            problems.add(
                element,
                f"{qname.localname!r} is not a Dublin Core element of {qname.namespace}",
            )
