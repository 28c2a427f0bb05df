"""Which page types make up each disclosure column, for counting what a year published.

One small function the catalogue can later answer from its own records (catalogue.CatalogueItem
knows every item's column): until then the columns are the page types apps register for them
(core.disclosure.COLUMN_PAGES: commitments, regulations, reports) and the outage notices, which
are the 停供信息 column themselves (notices.channels.feeds serves them that way)."""

from wagtail import hooks
from wagtail.models import Page

from catalogue.columns import Column
from core.disclosure import COLUMN_PAGES
from notices.models import OutageNoticePage


def column_page_types() -> dict[str, list[type[Page]]]:
    """Column value → its page models, in the catalogue's column order; columns no app has
    registered a page type for are absent (nothing of theirs can be counted yet)."""
    registered: dict[str, list[type[Page]]] = {Column.OUTAGES: [OutageNoticePage]}
    for provider in hooks.get_hooks(COLUMN_PAGES):
        key, models = provider()
        if key in Column.values:
            registered.setdefault(key, [])
            registered[key] += [model for model in models if model not in registered[key]]
    return {column: registered[column] for column in Column.values if column in registered}
