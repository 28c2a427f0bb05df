"""Wagtail's database search backend on SQLite, its full-text queries driven from the FTS index
(chosen by core.search_backend; importable only where the database is SQLite, whose search
models exist only there).

Upstream's SQLite query joins the FTS5 table to `wagtailsearch_indexentry` and filters the entries
by content type. Without statistics (a database nobody ran ANALYZE on, as every new one), SQLite's
planner takes the content-type index as the outer loop and evaluates the MATCH once per indexed
entry of that type: 522 communities made every search of them cost 5 ms, whatever it found,
against 0.02 ms for the MATCH alone. Here the content-type test is written as `content_type_id + 0`,
which no index can serve, so the plan starts from the MATCH and reads the few entries it finds by
primary key (the known FTS5 remedy, as CROSS JOIN would be). Same rows, same order, same scores;
the relevance of each result is still looked up by (content type, object id) through the index."""

from django.db.models import F, FloatField, OuterRef, Subquery
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks


class FtsFirst:
    """`search()` of modelsearch 1.3's SQLiteSearchQueryCompiler, the content-type filter of the
    matching entries excepted."""

    def search(self, config, start, stop, score_field=None):
        normalized_query = normalize(self.query)
        if isinstance(normalized_query, MatchAll):
            return self.queryset[start:stop]
        negated = isinstance(normalized_query, Not)
        if negated:
            if isinstance(normalized_query.subquery, MatchAll):
                return self.queryset.none()
            normalized_query = normalized_query.subquery

        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS,
            self.build_search_query(normalized_query, config=config),
        )
        content_types = get_descendants_content_types_pks(self.queryset.model)
        matching = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .select_related("index_entry")
            .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
        )
        object_ids = (
            matching.alias(unindexed_content_type=F("index_entry__content_type_id") + 0)
            .filter(unindexed_content_type__in=content_types)
            .values_list("index_entry__object_id", flat=True)
        )
        if negated:
            return self._ordered(self.queryset.exclude(pk__in=object_ids))[start:stop]

        queryset = self.queryset.filter(pk__in=object_ids)
        if self.order_by_relevance and score_field is None:
            score_field = "_score"
        if score_field is not None:
            score = matching.filter(
                index_entry__content_type__in=content_types,
                index_entry__object_id=OuterRef("pk"),
            ).values("score")[:1]
            queryset = queryset.annotate(
                **{score_field: Subquery(score, output_field=FloatField())}
            )
            if self.order_by_relevance:
                queryset = queryset.order_by(score_field, "-pk")
        return self._ordered(queryset)[start:stop]

    def _ordered(self, queryset):
        """A default order keeps results consistent across pages (wagtail/wagtail#3729)."""
        if not self.order_by_relevance and not queryset.query.order_by:
            return queryset.order_by("-pk")
        return queryset


class FtsFirstSearchQueryCompiler(FtsFirst, SQLiteSearchQueryCompiler):
    pass


class FtsFirstAutocompleteQueryCompiler(FtsFirst, SQLiteAutocompleteQueryCompiler):
    pass


class FtsFirstSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = FtsFirstSearchQueryCompiler
    autocomplete_query_compiler_class = FtsFirstAutocompleteQueryCompiler
