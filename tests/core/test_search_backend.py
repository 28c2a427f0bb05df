"""core.search_backend and core.sqlite_search: on SQLite, Wagtail's full-text queries start from
the FTS index, and find what upstream's backend finds, in its order; every other database gets
upstream's backend. (The SQLite modules are imported in the tests that run on SQLite only: their
models do not exist on PostgreSQL.)"""

import pytest
from django.conf import settings
from django.db import connection
from modelsearch.query import Not, PlainText
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from contacts.models import Community
from faq.models import QuestionPage
from notices.models import OutageNoticePage

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite only: other databases use upstream's backend"
)
WORDS = ["星宇", "泵站", "停水", "xy", "停水 泵站", "无此词"]


def params() -> dict:
    conf = settings.WAGTAILSEARCH_BACKENDS["default"]
    return {key: value for key, value in conf.items() if key != "BACKEND"}


def upstream_backend():
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    return SQLiteSearchBackend(params())


def test_the_backend_is_upstreams_but_on_sqlite():
    backend = get_search_backend()
    if connection.vendor == "sqlite":
        from core.sqlite_search import FtsFirstSQLiteSearchBackend

        assert type(backend) is FtsFirstSQLiteSearchBackend
    else:
        assert type(backend).__module__.startswith("modelsearch.backends.database.")


def plan(results) -> list[str]:
    sql, sql_params = results.get_queryset().query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, sql_params)
        return [row[-1] for row in cursor.fetchall()]


@on_sqlite
def test_the_matching_entries_are_found_from_the_fts_index():
    """Upstream's plan reads every community's index entry and evaluates the MATCH for each (the
    FTS table searched by rowid, `=M`); here the MATCH runs once and the entries it finds are
    read by primary key. Only the relevance of each result, a correlated subquery, still goes
    through the content-type index, one entry per result."""

    def matching_entries(backend) -> list[str]:
        lines = plan(backend.search("星宇", Community.objects.all(), operator="and"))
        start = next(i for i, line in enumerate(lines) if line.startswith("LIST SUBQUERY"))
        return lines[start + 1 : start + 3]

    assert matching_entries(get_search_backend()) == [
        "SCAN U0 VIRTUAL TABLE INDEX 0:M3",
        "SEARCH U1 USING INTEGER PRIMARY KEY (rowid=?)",
    ]
    upstream = matching_entries(upstream_backend())
    assert "VIRTUAL TABLE INDEX 0:=M3" in upstream[1]  # the bad plan this module avoids


def querysets():
    return [
        Community.objects.all(),
        OutageNoticePage.objects.live().order_by("-starts_at"),
        QuestionPage.objects.live(),
        Page.objects.live().type(OutageNoticePage, QuestionPage),
    ]


@on_sqlite
@pytest.mark.parametrize("words", WORDS)
@pytest.mark.parametrize("operator", ["and", "or"])
def test_the_same_results_in_the_same_order_as_upstream(words, operator):
    ours, upstream = get_search_backend(), upstream_backend()
    found_any = False
    for queryset in querysets():
        for by_relevance in (True, False):
            if by_relevance and queryset.query.order_by:
                continue  # Wagtail refuses relevance with an ordering of the queryset's own

            def found(backend, queryset=queryset, by_relevance=by_relevance):
                results = backend.search(
                    words, queryset, operator=operator, order_by_relevance=by_relevance
                )
                return [item.pk for item in results], results.count()

            assert found(ours) == found(upstream), (words, queryset.model, by_relevance)
            found_any = found_any or bool(found(ours)[1])
        scored = ours.search(words, queryset, operator=operator).annotate_score("score")
        upstream_scored = upstream.search(words, queryset, operator=operator)
        assert [(item.pk, item.score) for item in scored] == [
            (item.pk, item.score) for item in upstream_scored.annotate_score("score")
        ]
    assert found_any == (words != "无此词")


@on_sqlite
def test_facets_and_excluded_words_as_upstream():
    ours, upstream = get_search_backend(), upstream_backend()
    pages = Page.objects.live().type(OutageNoticePage, QuestionPage)
    for words in WORDS:
        facets = [
            backend.search(words, pages, order_by_relevance=False).facet("content_type_id")
            for backend in (ours, upstream)
        ]
        assert facets[0] == facets[1], words
    assert facets[0] == {}  # 无此词
    excluded = [
        [item.pk for item in backend.search(Not(PlainText("星宇")), Community.objects.all())]
        for backend in (ours, upstream)
    ]
    assert excluded[0] == excluded[1]
    assert 0 < len(excluded[0]) < Community.objects.count()
