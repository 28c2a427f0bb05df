"""A rule acts at most once per event, whatever runs twice; an edit applies to later events only;
two rules sending one event on one channel send it once to each recipient."""

import pytest

from alerts.models import Delivery, OutboundMessage
from alerts.tasks import dispatch_due
from rules import engine
from rules.models import ContentRule, RuleEvent, RuleFiring
from tests.factories.alerts import make_press_contact, make_subscriber
from tests.factories.notices import make_notice
from tests.rules.helpers import block, make_rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_rules")]
SEND_SMS = block("send", {"channels": ["sms"], "hold_until": None})


@pytest.fixture
def community(community):
    for _ in range(3):
        make_subscriber([community])
    return community


def publish(capture, community):
    with capture(execute=True):
        return make_notice(communities=[community])


def test_an_event_run_again_does_nothing_twice(
    django_capture_on_commit_callbacks, community, outbox
):
    rule = make_rule(["published"], actions=[SEND_SMS])
    notice = publish(django_capture_on_commit_callbacks, community)
    event = RuleEvent.objects.get(page_id=notice.pk)
    assert engine.fire(event) == []
    dispatch_due()
    assert RuleFiring.objects.filter(rule=rule).count() == 1
    assert OutboundMessage.objects.filter(notice=notice).count() == 1
    assert len([n for batch, *_ in outbox for n in batch]) == 3


def test_an_edit_applies_to_later_events_only(django_capture_on_commit_callbacks, community):
    make_press_contact()
    rule = make_rule(["published"], actions=[SEND_SMS])
    first = publish(django_capture_on_commit_callbacks, community)
    old_version = rule.live_revision_id
    rule.actions = [block("send", {"channels": ["press"], "hold_until": None})]
    rule.save_revision().publish()
    rule.refresh_from_db()
    assert rule.live_revision_id != old_version
    engine.fire(RuleEvent.objects.get(page_id=first.pk))  # the old event again: nothing new
    assert list(OutboundMessage.objects.filter(notice=first).values_list("channel", flat=True)) == [
        "sms"
    ]
    assert RuleFiring.objects.get(event__page_id=first.pk).revision_id == old_version
    second = publish(django_capture_on_commit_callbacks, community)
    firing = RuleFiring.objects.get(event__page_id=second.pk)
    assert firing.revision_id == rule.live_revision_id
    message = OutboundMessage.objects.get(notice=second)
    assert message.channel == "press" and message.rule_revision_id == rule.live_revision_id


def test_a_draft_changes_nothing_and_a_rule_switched_off_does_nothing(
    django_capture_on_commit_callbacks, community
):
    make_press_contact()
    rule = make_rule(["published"], actions=[SEND_SMS])
    rule.actions = [block("send", {"channels": ["press"], "hold_until": None})]
    rule.save_revision()  # saved as a draft, not published
    notice = publish(django_capture_on_commit_callbacks, community)
    assert list(
        OutboundMessage.objects.filter(notice=notice).values_list("channel", flat=True)
    ) == ["sms"]
    ContentRule.objects.get(pk=rule.pk).unpublish()
    later = publish(django_capture_on_commit_callbacks, community)
    assert not OutboundMessage.objects.filter(notice=later).exists()


def test_two_rules_sending_one_event_on_one_channel_send_it_once(
    django_capture_on_commit_callbacks, community, outbox
):
    one = make_rule(["published"], actions=[SEND_SMS], priority=1)
    other = make_rule(
        ["published"], actions=[block("send", {"channels": [], "hold_until": None})], priority=2
    )
    notice = publish(django_capture_on_commit_callbacks, community)
    dispatch_due()
    sms = OutboundMessage.objects.get(notice=notice, channel="sms")
    assert sms.rule_revision_id == one.live_revision_id  # the first rule wrote it
    outcomes = {
        f.rule_id: f.outcomes[0] for f in RuleFiring.objects.filter(event__page_id=notice.pk)
    }
    assert sms.pk in outcomes[one.pk]["messages"] and sms.pk in outcomes[other.pk]["messages"]
    assert Delivery.objects.filter(message=sms).count() == 3
    texted = [n for batch, *_ in outbox for n in batch]
    assert len(texted) == len(set(texted)) == 3
