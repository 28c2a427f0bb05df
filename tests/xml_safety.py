"""Parsing XML the tests read (the site's CAP documents, the OASIS schema, CAP alerts of other
senders) without letting it reach files or the network. The site itself parses no outside XML
with it: partner feeds go through feedparser (importers/partner_feed.py).

The parser never loads an external DTD, never substitutes entities and never fetches anything;
a document that still declares entities is refused outright, since a legitimate feed has no use
for them and they are how XXE and entity-expansion attacks start. XInclude and xml-stylesheet
instructions are inert: nothing here processes them."""

from django.utils.translation import gettext as _
from lxml import etree

from core.xml_safety import safe_parser


class RejectedXML(ValueError):
    """The document was not parsed; the message (in Chinese) says why and can be shown to editors."""


def parse_xml(data: bytes) -> etree._Element:
    """The root element of `data`, or RejectedXML when it is malformed or declares entities."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise RejectedXML(_("XML格式错误：%(error)s") % {"error": exc}) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and dtd.entities():
        raise RejectedXML(_("XML文档声明了实体（DTD ENTITY），出于安全考虑拒绝解析。"))
    return root
