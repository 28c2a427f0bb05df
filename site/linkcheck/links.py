"""Every link a reader can follow in the site's content: the rich text (fields and StreamField
blocks), URL fields and blocks, and page choosers of each live page, of the rows edited inside
it (inline panels), and of each settings record.

Found through the field and block types, not by naming models: a new page type or setting is
checked without a change here. StreamFields are read as stored (`raw_data`), because a chooser
whose page was deleted reads back as None: only the stored id says a link was there."""

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models

PAGE = "page:"  # a link chosen from the page tree (rich text, chooser, foreign key): page:<id>
DOCUMENT = "document:"  # a document chosen in rich text or a chooser block: document:<id>
TEXT_LENGTH = 200
SEPARATOR = " → "


@dataclass(frozen=True)
class Source:
    """A page or a settings record, as the report names it and the admin edits it."""

    content_type_id: int  # the base type: Page for every page
    object_id: str
    label: str
    page_id: int | None = None


@dataclass(frozen=True)
class Link:
    source: Source
    field: str  # where in the source, as a path of field and block names: body.article.text
    where: str  # the same in the editor's words: 正文 → 条 → 条文
    target: str  # the href as written, or page:<id> / document:<id>
    text: str = ""  # what the reader clicks


class _Anchors(HTMLParser):
    """The <a> elements of stored rich text: (target, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        self._end()
        attributes = dict(attrs)
        linktype = attributes.get("linktype")
        if linktype in ("page", "document") and attributes.get("id"):
            target = f"{linktype}:{attributes['id']}"
        else:
            target = (attributes.get("href") or "").strip()
        self._open = (target, [])

    def handle_endtag(self, tag):
        if tag == "a":
            self._end()

    def handle_data(self, data):
        if self._open is not None:
            self._open[1].append(data)

    def close(self):
        super().close()
        self._end()

    def _end(self):
        if self._open is not None:
            target, text = self._open
            if target:
                self.found.append((target, " ".join("".join(text).split())[:TEXT_LENGTH]))
            self._open = None


def rich_text_links(html: str) -> list[tuple[str, str]]:
    parser = _Anchors()
    parser.feed(html or "")
    parser.close()
    return parser.found


def _points_to_page(field) -> bool:
    return (
        isinstance(field, models.ForeignKey)
        and not isinstance(field, ParentalKey)
        and not field.remote_field.parent_link
        and issubclass(field.related_model, Page)
    )


def _linkable(field) -> bool:
    return isinstance(field, (RichTextField, StreamField, models.URLField)) or _points_to_page(
        field
    )


def linkable_fields(model) -> list:
    """The model's fields that can hold a link, without those of Wagtail's Page itself (its
    alias, revisions, owner: not content)."""
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and field.model is not Page and _linkable(field)
    ]


def linkable_children(model) -> list:
    """The inline rows (ParentalKey children) of the model that can hold a link."""
    return [rel for rel in get_all_child_relations(model) if linkable_fields(rel.related_model)]


def _label(text) -> str:
    return str(capfirst(text)) if text else ""


def _block_links(block, raw, path: str, where: str) -> Iterator[tuple[str, str, str, str]]:
    """(field path, where, target, text) of the links in a block's stored value."""
    if raw is None:
        return
    if isinstance(block, blocks.StreamBlock):
        for item in raw if isinstance(raw, list) else []:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                yield from _block_links(
                    child,
                    item.get("value"),
                    f"{path}.{child.name}",
                    f"{where}{SEPARATOR}{_label(child.label or child.name)}",
                )
    elif isinstance(block, blocks.ListBlock):
        for item in raw if isinstance(raw, list) else []:
            # Stored as {"type": "item", "value": ..., "id": ...}, or as bare values (before
            # Wagtail 2.16).
            value = item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
            yield from _block_links(block.child_block, value, f"{path}.item", where)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            if isinstance(raw, dict):
                yield from _block_links(
                    child,
                    raw.get(name),
                    f"{path}.{name}",
                    f"{where}{SEPARATOR}{_label(child.label or name)}",
                )
    elif isinstance(block, blocks.RichTextBlock):
        for target, text in rich_text_links(str(raw)):
            yield path, where, target, text
    elif isinstance(block, blocks.URLBlock):
        if str(raw).strip():
            yield path, where, str(raw).strip(), ""
    elif isinstance(block, blocks.PageChooserBlock):
        yield path, where, f"{PAGE}{raw}", ""
    elif isinstance(block, DocumentChooserBlock):
        yield path, where, f"{DOCUMENT}{raw}", ""


def _field_links(obj, field, path: str, where: str) -> Iterator[tuple[str, str, str, str]]:
    if isinstance(field, RichTextField):
        for target, text in rich_text_links(field.value_from_object(obj)):
            yield path, where, target, text
    elif isinstance(field, StreamField):
        value = field.value_from_object(obj)
        raw = list(value.raw_data) if value is not None else []
        yield from _block_links(field.stream_block, raw, path, where)
    elif isinstance(field, models.URLField):
        value = (field.value_from_object(obj) or "").strip()
        if value:
            yield path, where, value, ""
    else:  # a foreign key to a page
        value = field.value_from_object(obj)
        if value is not None:
            yield path, where, f"{PAGE}{value}", ""


def object_links(obj, source: Source, children=None) -> Iterator[Link]:
    """The links of a page or settings record, and of its inline rows."""
    model = type(obj)
    for field in linkable_fields(model):
        for path, where, target, text in _field_links(
            obj, field, field.name, _label(field.verbose_name)
        ):
            yield Link(source, path, where, target, text)
    for rel in linkable_children(model) if children is None else children:
        accessor = rel.get_accessor_name()
        child_model = rel.related_model
        for child in getattr(obj, accessor).all():
            for field in linkable_fields(child_model):
                for path, where, target, text in _field_links(
                    child,
                    field,
                    f"{accessor}.{field.name}",
                    f"{_label(child_model._meta.verbose_name)}{SEPARATOR}{_label(field.verbose_name)}",
                ):
                    yield Link(source, path, where, target, text)


def page_links() -> Iterator[Link]:
    """The links of every live page (aliases repeat their original's content: left out)."""
    page_type = ContentType.objects.get_for_model(Page)
    for model in get_page_models():
        if model is Page or model._meta.abstract:
            continue
        fields, children = linkable_fields(model), linkable_children(model)
        if not (fields or children):
            continue
        pages = (
            model.objects.live()
            .exact_type(model)
            .filter(alias_of__isnull=True)
            .prefetch_related(*(rel.get_accessor_name() for rel in children))
            .order_by("path")
        )
        for page in pages.iterator(chunk_size=100):
            source = Source(page_type.pk, str(page.pk), page.title, page.pk)
            yield from object_links(page, source, children)


def setting_label(setting) -> str:
    label = _label(setting._meta.verbose_name)
    if isinstance(setting, BaseSiteSetting):
        site = setting.site
        return f"{label}（{site.site_name or site.hostname}）"
    return label


def settings_links() -> Iterator[Link]:
    for model in settings_registry:
        if not (linkable_fields(model) or linkable_children(model)):
            continue
        content_type = ContentType.objects.get_for_model(model)
        queryset = model.objects.all()
        if issubclass(model, BaseSiteSetting):
            queryset = queryset.select_related("site")
        for setting in queryset.order_by("pk"):
            source = Source(content_type.pk, str(setting.pk), setting_label(setting))
            yield from object_links(setting, source)


def collect() -> list[Link]:
    """Every link once per source, field and target (the first one's text)."""
    found: dict[tuple, Link] = {}
    for link in [*page_links(), *settings_links()]:
        found.setdefault((link.source, link.field, link.target), link)
    return list(found.values())
