"""The site's search backend (settings.WAGTAILSEARCH_BACKENDS): Wagtail's database backend as
upstream chooses it for the database, with SQLite's full-text queries driven from the FTS index
(core.sqlite_search). PostgreSQL and every other database get upstream's backend unchanged."""

from django.db import connection
from modelsearch.backends import database


def SearchBackend(params):
    """The name Wagtail looks up in a backend module."""
    backend = database.SearchBackend(params)  # by the database's vendor, FTS5 or not
    if connection.vendor != "sqlite":
        return backend
    # Here only: the SQLite backend's modules need models that exist on SQLite alone.
    from core.sqlite_search import FtsFirstSQLiteSearchBackend, SQLiteSearchBackend

    if isinstance(backend, SQLiteSearchBackend):
        return FtsFirstSQLiteSearchBackend(params)
    return backend
