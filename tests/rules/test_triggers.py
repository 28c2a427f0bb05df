"""Every trigger, for outage notices and for other disclosed pages, written down once with the
facts of its moment; a merely scheduled draft is not an event until it really goes live."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contacts.models import Community
from notices.lifecycle.transitions import advance_by_clock, record_update
from notices.models import OutageNoticePage
from rules.models import RuleEvent
from tests.catalogue.helpers import regulation
from tests.factories.notices import make_notice
from tests.factories.pages import go_live_by_schedule
from tests.rules.helpers import events_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning(clock):
    clock("2026-12-05T10:00:00")


def publish(capture, **fields):
    with capture(execute=True):
        return make_notice(communities=[Community.objects.get(code="LY-0001")], **fields)


def test_publishing_and_each_timeline_entry(django_capture_on_commit_callbacks, clock):
    capture = django_capture_on_commit_callbacks
    start = timezone.now() + timedelta(hours=1)
    notice = publish(capture, starts_at=start, ends_at=start + timedelta(hours=10))
    with capture(execute=True):
        record_update(notice.pk, "info", text="抢修人员已到场")
        record_update(notice.pk, "started", occurred_at=start)
        record_update(notice.pk, "extended", new_ends_at=start + timedelta(hours=14), text="延长")
    clock.shift(timedelta(hours=3))
    with capture(execute=True):
        record_update(notice.pk, "restored", text="已恢复")
    assert events_of(notice) == ["published", "info", "started", "extended", "restored"]
    event = RuleEvent.objects.get(page_id=notice.pk, trigger="published")
    assert event.key == f"notice-{notice.pk}:published"
    assert event.facts["duration_hours"] == 10 and event.facts["time"] == "10:00"
    assert event.facts["communities"] == [Community.objects.get(code="LY-0001").pk]
    extended = RuleEvent.objects.get(page_id=notice.pk, trigger="extended")
    assert extended.facts["duration_hours"] == 14 and extended.update_id


def test_the_end_coming_by_the_clock_is_ended_not_restored(
    django_capture_on_commit_callbacks, clock
):
    start = timezone.now() + timedelta(minutes=5)
    notice = publish(
        django_capture_on_commit_callbacks, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        advance_by_clock()
    assert events_of(notice) == ["published", "started", "ended"]


def test_cancelling(django_capture_on_commit_callbacks):
    notice = publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        record_update(notice.pk, "cancelled", text="取消")
    assert events_of(notice) == ["published", "cancelled"]


def test_a_changed_cause_and_another_edit(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    notice = publish(capture)
    notice = OutageNoticePage.objects.get(pk=notice.pk)
    notice.cause = "换热站设备抢修"
    with capture(execute=True):
        notice.save_revision().publish()
    notice.area_name = "星宇东泵站"
    with capture(execute=True):
        notice.save_revision().publish()
    assert events_of(notice) == ["published", "cause_changed", "updated"]


def test_a_scheduled_draft_is_no_event_until_it_goes_live(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    notice = make_notice(publish=False)
    notice.go_live_at = timezone.now() + timedelta(hours=1)
    with capture(execute=True):
        notice.save_revision().publish()
    assert events_of(notice) == []
    go_live_by_schedule(notice, capture)
    assert events_of(notice) == ["scheduled"]


def test_withdrawn_and_expired(django_capture_on_commit_callbacks, clock):
    capture = django_capture_on_commit_callbacks
    withdrawn = publish(capture)
    with capture(execute=True):
        withdrawn.unpublish()
    assert events_of(withdrawn) == ["published", "withdrawn"]
    expiring = make_notice(publish=False)
    expiring.expire_at = timezone.now() + timedelta(hours=1)
    with capture(execute=True):
        expiring.save_revision().publish()
    clock.shift(timedelta(hours=2))
    with capture(execute=True):
        call_command("publish_scheduled")
    assert events_of(expiring) == ["published", "expired"]


def test_other_disclosed_pages_through_the_catalogue(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        page = regulation()
    page.keywords = "退费"
    with capture(execute=True):
        page.save_revision().publish()
    with capture(execute=True):
        page.unpublish()
    assert events_of(page) == ["published", "updated", "withdrawn"]
    event = RuleEvent.objects.filter(page_id=page.pk).first()
    assert event.facts == {
        "notice": False,
        "page_type": "regulations.regulationpage",
        "column": "regulations",
        "time": "10:00",
    }


def test_a_repeated_signal_is_one_event(django_capture_on_commit_callbacks):
    from rules import events

    notice = publish(django_capture_on_commit_callbacks)
    events.on_notice_published(notice.pk, first_time=True)
    assert events_of(notice) == ["published"]
