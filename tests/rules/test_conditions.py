"""Each condition against the facts of an event: any chosen value will do, every condition must
hold; a condition about outages never holds for another kind of page."""

from datetime import time

import pytest

from contacts.models import Community
from rules import engine
from rules.blocks import in_window
from rules.models import ContentRule, RuleEvent
from tests.rules.helpers import block

pytestmark = pytest.mark.django_db

NOTICE = {
    "notice": True,
    "page_type": "notices.outagenoticepage",
    "utility": "water",
    "kind": "planned",
    "state": "scheduled",
    "is_major": True,
    "duration_hours": 12.0,
    "branches": [],
    "stations": [],
    "communities": [],
    "column": "outages",
    "time": "10:00",
}
REGULATION = {
    "notice": False,
    "page_type": "regulations.regulationpage",
    "column": "regulations",
    "time": "10:00",
}


def holds(condition: dict, facts: dict, trigger: str = "published") -> bool:
    rule = ContentRule(name="t", triggers=[trigger], conditions=[condition], actions=[])
    return engine.matches(rule, RuleEvent(trigger="published", facts=facts))


@pytest.mark.parametrize(
    ("condition", "notice", "regulation"),
    [
        (block("page_type", {"page_types": ["notices.outagenoticepage"]}), True, False),
        (block("page_type", {"page_types": ["regulations.regulationpage"]}), False, True),
        (block("utility", {"utilities": ["water", "gas"]}), True, False),
        (block("utility", {"utilities": ["heat"]}), False, False),
        (block("kind", {"kinds": ["planned"]}), True, False),
        (block("kind", {"kinds": ["emergency"]}), False, False),
        (block("duration", {"min_hours": 12, "include_unknown": False}), True, False),
        (block("duration", {"min_hours": 13, "include_unknown": True}), False, False),
        (block("major", {"major": "major"}), True, False),
        (block("major", {"major": "minor"}), False, False),
        (block("state", {"states": ["scheduled", "in_progress"]}), True, False),
        (block("state", {"states": ["restored"]}), False, False),
        (block("column", {"columns": ["outages"]}), True, False),
        (block("column", {"columns": ["regulations", "fees"]}), False, True),
        (block("time_of_day", {"start": "07:00:00", "end": "22:00:00"}), True, True),
        (block("time_of_day", {"start": "22:00:00", "end": "07:00:00"}), False, False),
    ],
)
def test_each_condition(condition, notice, regulation):
    assert holds(condition, NOTICE) is notice
    assert holds(condition, REGULATION) is regulation


def test_an_unknown_end_counts_only_when_the_rule_says_so():
    unknown = {**NOTICE, "duration_hours": None}
    assert holds(block("duration", {"min_hours": 8, "include_unknown": True}), unknown)
    assert not holds(block("duration", {"min_hours": 8, "include_unknown": False}), unknown)


def test_a_station_means_every_community_of_it_and_a_branch_every_station():
    community = Community.objects.select_related("station").get(code="LY-0001")
    station, branch = community.station, community.station.branch
    other = Community.objects.exclude(station=station).select_related("station").first()
    # The notice names only the community: the facts carry its station and branch too.
    facts = {
        **NOTICE,
        "communities": [community.pk],
        "stations": [station.pk],
        "branches": [branch.pk],
    }

    def place(**chosen):
        return block("place", {"branches": [], "stations": [], "communities": [], **chosen})

    assert holds(place(stations=[station.pk]), facts)
    assert holds(place(branches=[branch.pk]), facts)
    assert holds(place(communities=[community.pk]), facts)
    assert not holds(place(communities=[other.pk]), facts)
    assert not holds(place(stations=[other.station.pk]), facts) or other.station == station


def test_all_conditions_must_hold_and_the_trigger_must_be_chosen():
    both = [block("utility", {"utilities": ["water"]}), block("kind", {"kinds": ["emergency"]})]
    rule = ContentRule(name="t", triggers=["published"], conditions=both, actions=[])
    assert not engine.matches(rule, RuleEvent(trigger="published", facts=NOTICE))
    rule = ContentRule(name="t", triggers=["extended"], conditions=both[:1], actions=[])
    assert not engine.matches(rule, RuleEvent(trigger="published", facts=NOTICE))
    assert engine.matches(rule, RuleEvent(trigger="extended", facts=NOTICE))


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (time(21, 59), False),
        (time(22, 0), True),
        (time(0, 30), True),
        (time(6, 59), True),
        (time(7, 0), False),
    ],
)
def test_a_window_across_midnight(moment, inside):
    assert in_window(moment, time(22, 0), time(7, 0)) is inside
