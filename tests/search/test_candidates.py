"""search.candidates: words no indexed content holds are answered by one small query, and the
check never hides a result the full search would show (on SQLite and, in CI, PostgreSQL)."""

import random

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from chinese_text import segmentation
from contacts.models import Community
from search import candidates, groups
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db

# Characters of place names, as residents type them (benchmarks/load.py's new words).
PLACE_CHARACTERS = (
    "华阳光明新城花园景苑东西南北星宇长春绿丽家福兴安和平泰康金银龙凤湖山水林桥路街府"
)


def found(terms) -> list[tuple]:
    request = RequestFactory().get("/search/")
    return [
        (group.kind.key, group.count, [strip_tags(hit.title) for hit in group.hits])
        for group in groups.all_groups(request, terms, 5)
    ]


def test_words_nothing_holds_cost_one_query():
    terms = segmentation.query_terms("紫禁城")
    with CaptureQueriesContext(connection) as captured:
        assert found(terms) == []
    assert len(captured) == 1


def test_any_one_word_held_is_enough_to_search():
    assert candidates.nothing_matches(["紫禁城"])
    assert not candidates.nothing_matches(["星宇"])
    assert not candidates.nothing_matches(["紫禁城", "星宇"])  # the search itself wants both
    notice = make_notice(title="紫禁城泵站停水通知", area_name="紫禁城泵站")
    assert not candidates.nothing_matches(segmentation.query_terms("紫禁城"))
    assert notice.title in [title for *_, titles in found(["紫禁城"]) for title in titles]


def test_the_check_never_hides_a_result(monkeypatch):
    """The same groups, counts and hits with the check and without it, for community names,
    outage words and 300 words of place-name characters (most found nowhere)."""
    rng = random.Random(19)
    chars = PLACE_CHARACTERS
    words = ["".join(rng.sample(chars, rng.choice((2, 3)))) for _ in range(300)]
    words += list(Community.objects.order_by("?").values_list("name", flat=True)[:30])
    words += ["停水", "停热", "退费", "xy", "xingyu", "发票 停水"]
    queries = [terms for terms in map(segmentation.query_terms, words) if terms]
    with_check = [found(terms) for terms in queries]
    monkeypatch.setattr(groups, "nothing_matches", lambda terms: False)
    assert with_check == [found(terms) for terms in queries]
    assert sum(1 for result in with_check if result) >= 30  # the comparison saw results
