"""What RSS 2.0 and Atom (RFC 4287) require of a feed, checked on the XML itself: feedparser
forgives what a strict reader would refuse, so a feed must parse cleanly there too (bozo 0)
and carry every element the specifications make mandatory, once."""

from datetime import datetime
from email.utils import parsedate_to_datetime

import feedparser
from lxml import etree

from tests.xml_safety import parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


def _rfc3339(text: str) -> None:
    datetime.fromisoformat(text.replace("Z", "+00:00"))  # raises on anything else


def check_rss(content: bytes):
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    root = parse_xml(content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    [channel] = root.findall("channel")
    for name in ("title", "link", "description"):  # RSS 2.0: required channel elements
        assert len(channel.findall(name)) == 1 and channel.findtext(name), name
    guids = []
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")  # one of them required
        guid = item.find("guid")
        assert guid is not None and guid.text
        guids.append(guid.text)
        pub_date = item.findtext("pubDate")
        if pub_date is not None:
            parsedate_to_datetime(pub_date)  # RFC 822, as RSS 2.0 requires; raises otherwise
    assert len(guids) == len(set(guids))
    return parsed


def check_atom(content: bytes):
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    root = parse_xml(content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):  # RFC 4287 4.1.1: exactly one each
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    _rfc3339(root.findtext(f"{ATOM}updated"))
    feed_has_author = root.find(f"{ATOM}author") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):  # 4.1.2
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        _rfc3339(entry.findtext(f"{ATOM}updated"))
        # An entry without content has an alternate link and a summary (4.1.2).
        links = entry.findall(f"{ATOM}link")
        assert any(link.get("rel", "alternate") == "alternate" for link in links)
        assert entry.find(f"{ATOM}summary") is not None or entry.find(f"{ATOM}content") is not None
        assert feed_has_author or entry.find(f"{ATOM}author") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids))
    assert etree.iselement(root)
    return parsed
