"""The dry run: what a rule would have done over the last 30 days, checked against what the rules
really sent; for an edit, the difference; in the admin, from the unsaved form, saving nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.channels import registry
from alerts.tasks import dispatch_due
from contacts.models import Community
from rules import dry_run
from rules.models import ContentRule, RuleEvent
from tests.factories.alerts import make_press_contact, make_subscriber
from tests.factories.notices import make_notice
from tests.rules.helpers import block

pytestmark = pytest.mark.django_db
SEEDED = ["重大停供：抢修停即时发送", "重大停供：计划停白天发送", "重大停供：计划停夜间暂缓"]


@pytest.fixture
def history(clock, django_capture_on_commit_callbacks):
    """A fortnight of notices sent by the seeded rules: by day and by night, planned and
    emergency, major and not, and one from before the 30 days. The only events: those the demo's
    notices left (their times follow the day the test database was loaded, which may fall in the
    30 days) are removed, so that the dry run is compared on this history alone."""
    RuleEvent.objects.all().delete()
    community = Community.objects.get(code="LY-0001")
    for _ in range(2):
        make_subscriber([community])
    make_press_contact()
    moments = [
        ("2026-10-20T10:00:00", "planned", 12),  # more than 30 days before the dry run
        ("2026-11-20T10:00:00", "planned", 12),
        ("2026-11-21T23:00:00", "planned", 12),
        ("2026-11-22T02:00:00", "emergency", 10),
        ("2026-11-23T11:00:00", "planned", 4),  # not major
    ]
    notices = []
    for moment, kind, hours in moments:
        clock(moment)
        start = timezone.now() + timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            notices.append(
                make_notice(
                    communities=[community],
                    kind=kind,
                    starts_at=start,
                    ends_at=start + timedelta(hours=hours),
                )
            )
    clock("2026-12-05T10:00:00")
    dispatch_due()
    return notices


def test_an_unchanged_rule_predicts_exactly_what_it_sent(history):
    for name in SEEDED:
        rule = ContentRule.objects.get(name=name)
        result = dry_run.simulate(rule)
        assert result.predicted == result.actual, name
        assert not result.added and not result.removed
    daytime = dry_run.simulate(ContentRule.objects.get(name=SEEDED[1]))
    assert [row.event.page_id for row in daytime.rows] == [history[1].pk]  # the October one is out
    assert all(
        count == 2 for (event, channel), count in daytime.predicted.items() if channel == "sms"
    )


def test_an_edit_shows_what_would_change(history):
    night = ContentRule.objects.get(name=SEEDED[2])
    night.conditions = [c for c in night.conditions.raw_data if c["type"] != "kind"]
    night.actions = [block("send", {"channels": ["sms"], "hold_until": "07:00:00"})]
    result = dry_run.simulate(night)
    added = {(event.page_id, channel) for event, channel, _ in result.added}
    removed = {(event.page_id, channel) for event, channel, _ in result.removed}
    assert added == {(history[3].pk, "sms")}  # the night emergency, now held too
    others = {channel.name for channel in registry.enabled()} - {"sms"}
    assert "press" in others
    assert removed == {(history[2].pk, channel) for channel in others}  # SMS only now


def test_the_admin_dry_run_saves_nothing_and_is_for_审核(client, moderator, editor, history):
    rule = ContentRule.objects.get(name=SEEDED[1])
    revisions = rule.revisions.count()
    data = {
        "name": rule.name,
        "description": "",
        "triggers": ["published"],
        "priority": "20",
        "conditions-count": "0",
        "actions-count": "1",
        "actions-0-type": "send",
        "actions-0-deleted": "",
        "actions-0-order": "0",
        "actions-0-value-channels": ["sms"],
        "actions-0-value-hold_until": "",
    }
    url = reverse("rules_dry_run_rule", args=[rule.pk])
    client.force_login(editor)
    refused = client.post(url, data)
    assert refused.status_code == 302 and "会处理" not in refused.content.decode()
    client.force_login(moderator)
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "会处理" in html and "不再发送（实际已发送）" in html
    assert rule.revisions.count() == revisions
    assert ContentRule.objects.get(pk=rule.pk).triggers == rule.triggers
    bad = client.post(url, {**data, "triggers": []}).content.decode()
    assert "请至少选择一个触发事件" in bad
    assert RuleEvent.objects.exists()
