"""Whether any indexed content holds any of the words, asked before the queries that count and
fetch each kind's results. Those are built by Django's ORM and by the search backend, and
building them costs milliseconds even when they find nothing; most words the site has never
heard of (a new place name, a typo) find nothing at all, and are answered by this one small
query, served by the search index (PostgreSQL's GIN index on `title || body`, SQLite's FTS5).

It asks for a superset of what the searches find: an index entry with any one of the words,
matched as the backend matches a word (its own expressions: the same quoting, configuration
and tokenizer), where the searches want every word in content that is live and public. So
"nothing" here is nothing there. On a backend without such a check, the answer is "maybe"."""

from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import F
from django.db.models.expressions import CombinedExpression
from wagtail.search.backends import get_search_backend


def nothing_matches(terms) -> bool:
    """True if no indexed content holds any of `terms` (one query); False if some may."""
    if connection.vendor == "postgresql":
        entries = _postgresql(terms)
    elif connection.vendor == "sqlite":
        entries = _sqlite(terms)
    else:
        return False
    return entries is not None and not entries.exists()


def _postgresql(terms):
    from django.contrib.postgres.search import SearchQuery, SearchVectorField
    from modelsearch.backends.database.postgres.query import Lexeme
    from wagtail.search.models import IndexEntry

    config = getattr(get_search_backend(), "config", None)
    words = SearchQuery(reduce(or_, map(Lexeme, terms)), search_type="raw", config=config)
    # The expression of the searches and of the index search_indexentry_title_body_gin.
    document = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    return IndexEntry.objects.alias(document=document).filter(document=words)


def _sqlite(terms):
    """None where the backend is not the FTS5 one (SQLite built without FTS5)."""
    from core.sqlite_search import FtsFirstSQLiteSearchBackend

    if not isinstance(get_search_backend(), FtsFirstSQLiteSearchBackend):
        return None
    from modelsearch.backends.database.sqlite.query import (
        Lexeme,
        MatchExpression,
        SearchQueryExpression,
        SQLiteFTSIndexEntry,
    )

    words = SearchQueryExpression(reduce(or_, map(Lexeme, terms)))
    return SQLiteFTSIndexEntry.objects.filter(MatchExpression(["title", "body"], words))
