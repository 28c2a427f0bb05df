"""RSS 2.0 and Atom feeds of every catalogue column, carrying each item's catalogue metadata
(docs/feeds.md: the `gk` namespace, and Dublin Core where a DC term fits). The Atom feed also
lists the items that left the column as deleted entries (Atom Tombstones, RFC 6721), so a
portal that only reads the feed learns of a withdrawal.

Rendered from the catalogue's records (`CatalogueItem.snapshot`), not from the pages: what a
feed says is what the change API says, and a feed costs the same few queries whatever the
column holds. GUIDs are tag URIs from the page id (a notice keeps the `notice-{id}` GUID of
the notice feeds), never the URL."""

from datetime import datetime

from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from django.utils.translation import gettext as _

from catalogue.columns import RULES, Column
from catalogue.metadata import site_settings
from catalogue.models import CatalogueItem
from core.addresses import absolute_url, base_url
from core.conditional import conditional, fingerprint
from core.feeds import SiteFeed, tag_uri

FEED_SIZE = 50
TOMBSTONES = 50  # the most recent withdrawals an Atom feed keeps

NAMESPACE = "tag:xxgk.heating,2026:catalogue"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
TOMBSTONE_NS = "http://purl.org/atompub/tombstones/1.0"
NAMESPACES = {"xmlns:gk": NAMESPACE, "xmlns:dc": DC, "xmlns:dcterms": DCTERMS}


def item_guid(request, item: dict) -> str:
    kind = "notice" if item["column"] == Column.OUTAGES else "page"
    return tag_uri(request, kind, item["page_id"])


def valid_period(item: dict) -> str | None:
    """dcterms:valid as a DCMI Period: from when it was issued, to when it stopped applying."""
    start = item.get("written_on") or item.get("disclosed_on")
    parts = [f"start={start}"] if start else []
    if item.get("validity") != "valid" and item.get("validity_changed_on"):
        parts.append(f"end={item['validity_changed_on']}")
    return "; ".join([*parts, "scheme=W3C-DTF"]) if parts else None


def metadata_elements(handler, item: dict, replaced_by_url: str | None) -> None:
    """The item's catalogue metadata, in the gk namespace and in Dublin Core."""
    element = handler.addQuickElement
    element("gk:indexNumber", item["index_number"])
    element("gk:column", str(Column(item["column"]).label), {"key": item["column"]})
    element("gk:publisher", item["publisher"] or "")
    for name, key in (("gk:writtenOn", "written_on"), ("gk:disclosedOn", "disclosed_on")):
        if item.get(key):
            element(name, item[key])
    element("gk:topic", item["topic_label"], {"key": item["topic"]})
    element("gk:genre", item["genre_label"], {"key": item["genre"]})
    if item.get("document_number"):
        element("gk:documentNumber", item["document_number"])
    validity = {"key": item["validity"]}
    if item.get("validity_changed_on"):
        validity["changedOn"] = item["validity_changed_on"]
    if replaced_by_url:
        validity["replacedBy"] = replaced_by_url
    element("gk:validity", item["validity_label"], validity)
    for word in item.get("keywords", []):
        element("gk:keyword", word)
    element("dc:identifier", item["index_number"])
    if item["publisher"]:
        element("dc:publisher", item["publisher"])
    element("dc:subject", item["topic_label"])
    for word in item.get("keywords", []):
        element("dc:subject", word)
    element("dc:type", item["genre_label"])
    if item.get("written_on"):
        element("dcterms:created", item["written_on"])
    if item.get("disclosed_on"):
        element("dcterms:issued", item["disclosed_on"])
    if period := valid_period(item):
        element("dcterms:valid", period)


class CatalogueRss(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), **NAMESPACES}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        metadata_elements(handler, item["catalogue"], item["replaced_by_url"])


class CatalogueAtom(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), **NAMESPACES, "xmlns:at": TOMBSTONE_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for ref, when, comment in self.feed["tombstones"]:
            handler.startElement("at:deleted-entry", {"ref": ref, "when": rfc3339_date(when)})
            handler.addQuickElement("at:comment", comment, {"xml:lang": "zh-CN"})
            handler.endElement("at:deleted-entry")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        metadata_elements(handler, item["catalogue"], item["replaced_by_url"])


WITHDRAWAL_COMMENTS = {
    "unpublished": "已撤销发布",
    "deleted": "已删除",
    "moved": "已移出信息公开目录",
    "repealed": "已废止",
}


class ColumnFeed(SiteFeed):
    """One column's items, newest change first."""

    feed_type = CatalogueRss

    def get_object(self, request, column):
        if column not in Column.values:
            raise Http404
        return column

    def title(self, column):
        return _("信息公开：%s") % Column(column).label

    def feed_guid(self, column):
        return tag_uri(self.request, "feed", f"column-{column}")

    def description(self, column):
        return str(RULES[column].description)

    subtitle = description

    def author_name(self, column):
        return site_settings().organisation or None

    def link(self, column):
        return absolute_url("/", self.request)

    def items(self, column):
        found = CatalogueItem.objects.filter(column=column, in_catalogue=True)
        return self.with_replacements(list(found.order_by("-updated_at", "-pk")[:FEED_SIZE]))

    def with_replacements(self, items: list[CatalogueItem]) -> list[CatalogueItem]:
        """The items, their addresses and those of what replaces them remembered for
        `item_extra_kwargs`."""
        paths = {item.page_id: item.snapshot.get("path") for item in items}
        # Replacements are other catalogue items: one query for their addresses.
        wanted = {i.snapshot.get("replaced_by_page") for i in items} - {None} - set(paths)
        replacements = CatalogueItem.objects.filter(page_id__in=wanted, in_catalogue=True)
        paths |= {r.page_id: r.snapshot.get("path") for r in replacements}
        self._paths = paths
        return items

    def item_title(self, item):
        return item.snapshot["title"]

    def item_description(self, item):
        # HTML to every reader: the plain text is escaped, never taken for markup.
        return escape(item.snapshot.get("summary") or item.snapshot["title"])

    def item_link(self, item):
        return absolute_url(item.snapshot["path"] or "/", self.request)

    def item_guid(self, item):
        return item_guid(self.request, item.snapshot)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return datetime.fromisoformat(item.snapshot["first_published_at"])

    def item_updateddate(self, item):
        return datetime.fromisoformat(item.snapshot["updated_at"])

    def item_categories(self, item):
        return [item.snapshot["genre_label"], item.snapshot["topic_label"]]

    def item_extra_kwargs(self, item):
        replaced = self._paths.get(item.snapshot.get("replaced_by_page"))
        return {
            "catalogue": item.snapshot,
            "replaced_by_url": absolute_url(replaced, self.request) if replaced else None,
        }

    def feed_extra_kwargs(self, column):
        return {"tombstones": []}


class AtomColumnFeed(ColumnFeed):
    feed_type = CatalogueAtom

    def feed_extra_kwargs(self, column):
        gone = CatalogueItem.objects.filter(column=column, in_catalogue=False)
        latest = gone.order_by("-updated_at", "-pk")[:TOMBSTONES]
        return {
            "tombstones": [
                (
                    item_guid(self.request, item.snapshot),
                    item.updated_at,
                    WITHDRAWAL_COMMENTS.get(item.withdrawn_reason, "已撤销"),
                )
                for item in latest
            ]
        }


def column_view(feed_class):
    def compute(request, column):
        if column not in Column.values:
            raise Http404
        key = f"{base_url(request)}:column-{column}"  # links and GUIDs are built from it
        return fingerprint(CatalogueItem.objects.filter(column=column), "updated_at", key)

    return conditional(compute)(feed_class())


column_rss = column_view(ColumnFeed)
column_atom = column_view(AtomColumnFeed)
