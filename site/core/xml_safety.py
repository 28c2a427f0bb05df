"""The one way outside XML is parsed here: lxml told never to load a DTD, never to substitute
an entity and never to fetch anything (XXE and entity expansion start there), with no huge
trees. Callers add their own refusals (a DOCTYPE at all, entity declarations, a size limit)."""

from lxml import etree


def safe_parser(**options) -> etree.XMLParser:
    """A fresh parser (lxml parsers are not thread-safe); `options` add to the safe ones."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        **options,
    )
