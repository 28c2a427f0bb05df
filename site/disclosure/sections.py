"""The catalogue as the public reads it: for each column its section page, how many items it
holds, when it was last updated and its feeds.

Section pages are found generically: every live page whose type mixes in
`catalogue.models.CatalogueSection`, the column being the type's own (`catalogue_column`) or,
for a 栏目页 (ColumnPage), the editors' choice. The figures come from the catalogue's records
(`CatalogueItem`), all columns in one grouped query."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Q
from django.urls import reverse
from wagtail.models import Page, get_page_models

from catalogue.columns import RULES, Column
from catalogue.models import CatalogueItem, CatalogueSection


def column_feed_urls(column: str) -> tuple[str, str]:
    """The column's RSS and Atom feeds (catalogue.feeds), the one place the page builds them."""
    kwargs = {"column": column}
    return (
        reverse("catalogue_column_rss", kwargs=kwargs),
        reverse("catalogue_column_atom", kwargs=kwargs),
    )


def section_models() -> list[type[Page]]:
    """Every page type that gives a column to the pages under it."""
    return [
        model
        for model in get_page_models()
        if issubclass(model, CatalogueSection) and not model._meta.abstract
    ]


def _declared_column(model: type[Page]):
    """The type's `catalogue_column` as declared: a key, or a property (chosen per page)."""
    for klass in model.__mro__:
        if "catalogue_column" in klass.__dict__:
            return klass.__dict__["catalogue_column"]
    return ""


def section_column(page: Page) -> str:
    """The column a section page (specific or not) gives; "" for other pages. A 栏目页's
    column is read from the `chosen_column` annotation when the query joined it in."""
    model = page.specific_class
    if model is None or not issubclass(model, CatalogueSection):
        return ""
    declared = _declared_column(model)
    if isinstance(declared, property):
        chosen = getattr(page, "chosen_column", None)
        return chosen if chosen is not None else page.specific.catalogue_column
    return str(declared or "")


def column_sections(prefix: str) -> dict[str, Page]:
    """Column key → its section page among the live pages whose tree path starts with
    `prefix` (a site's home page path): the shallowest, then the first in the tree. One query;
    the pages are not specific (their title, URL and description are all that is shown)."""
    models = section_models()
    if not models:
        return {}
    pages = (
        Page.objects.live()
        .filter(path__startswith=prefix)
        .type(*models)
        # A 栏目页's chosen column, joined in: no query per page type.
        .annotate(chosen_column=F("columnpage__column"))
        .only("id", "title", "slug", "url_path", "path", "depth", "content_type_id")
        .order_by("depth", "path")
    )
    found: dict[str, Page] = {}
    for page in pages:
        column = section_column(page)
        if column:
            found.setdefault(column, page)
    return found


@dataclass(frozen=True)
class ColumnFigures:
    items: int = 0
    updated_at: datetime | None = None


def column_figures() -> dict[str, ColumnFigures]:
    """Column key → the number of items in the catalogue now and when the column last changed
    (an item added, edited or withdrawn), from the catalogue's records in one query."""
    rows = (
        CatalogueItem.objects.values("column")
        .annotate(items=Count("pk", filter=Q(in_catalogue=True)), updated_at=Max("updated_at"))
        .order_by()
    )
    return {row["column"]: ColumnFigures(row["items"], row["updated_at"]) for row in rows}


@dataclass(frozen=True)
class CatalogueColumn:
    key: str
    label: str
    code: str
    description: str
    section: Page | None
    items: int
    updated_at: datetime | None
    rss_url: str
    atom_url: str


def catalogue(prefix: str) -> list[CatalogueColumn]:
    """Every column in the measures' order with its section, figures and feeds: two queries."""
    sections = column_sections(prefix)
    figures = column_figures()
    columns = []
    for column in Column:
        rules = RULES[column]
        counted = figures.get(column.value, ColumnFigures())
        rss, atom = column_feed_urls(column.value)
        columns.append(
            CatalogueColumn(
                key=column.value,
                label=str(column.label),
                code=rules.code,
                description=str(rules.description),
                section=sections.get(column.value),
                items=counted.items,
                updated_at=counted.updated_at,
                rss_url=rss,
                atom_url=atom,
            )
        )
    return columns


def section_types() -> list[str]:
    """The page cache tags of every section page type (home.signal_handlers.page_tags): a
    section published, moved or withdrawn changes the catalogue page."""
    return [f"type:{model._meta.label_lower}" for model in section_models()]
