"""Names of WordprocessingML elements and attributes in lxml's {namespace}tag form, and small
readers of the values Word writes. Namespaces come from python-docx."""

from docx.oxml.ns import nsmap
from lxml import etree

Element = etree._Element

W = f"{{{nsmap['w']}}}"
R = f"{{{nsmap['r']}}}"
WP = f"{{{nsmap['wp']}}}"
A = f"{{{nsmap['a']}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
V = "{urn:schemas-microsoft-com:vml}"
VML_OFFICE = "{urn:schemas-microsoft-com:office:office}"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

VAL = W + "val"
_OFF = {"0", "false", "off", "none"}


def val(element: Element | None, default: str | None = None) -> str | None:
    """The w:val attribute of `element`, or `default` when the element is absent."""
    if element is None:
        return default
    return element.get(VAL, default)


def toggle(element: Element | None) -> bool | None:
    """An on/off property such as <w:b/>: None when absent, else whether it is switched on."""
    if element is None:
        return None
    return element.get(VAL, "1").lower() not in _OFF


def int_val(element: Element | None) -> int | None:
    try:
        return int(val(element))
    except (TypeError, ValueError):
        return None
