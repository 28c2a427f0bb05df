"""The state machine, the major flag, the clock and the revision rules of outage notices."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.enums import NoticeState, UpdateKind
from notices.lifecycle.transitions import InvalidTransition, advance_by_clock, record_update
from notices.models import NoticeUpdate, OutageNoticePage, major
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def reload(notice):
    return OutageNoticePage.objects.get(pk=notice.pk)


@pytest.mark.parametrize(
    ("duration", "expected"),
    [(timedelta(hours=7, minutes=59), False), (timedelta(hours=8), True), (None, True)],
)
def test_major_is_eight_hours_or_more_or_unknown(duration, expected):
    start = timezone.now()
    assert major(start, start + duration if duration else None) is expected
    notice = make_notice(
        starts_at=start + timedelta(days=1),
        ends_at=(start + timedelta(days=1) + duration) if duration else None,
    )
    assert notice.is_major is expected
    assert OutageNoticePage.objects.filter(pk=notice.pk, is_major=expected).exists()


def test_full_lifecycle_forms_a_dated_timeline():
    start = timezone.now() - timedelta(hours=1)
    notice = make_notice(starts_at=start, ends_at=start + timedelta(hours=6))
    notice = reload(notice)
    # Published after its start: the publish handler started it at once.
    assert notice.state == NoticeState.IN_PROGRESS
    assert notice.went_live_at is not None
    assert not notice.is_major

    record_update(
        notice.pk, UpdateKind.EXTENDED, new_ends_at=start + timedelta(hours=9), text="抢修延时"
    )
    notice = reload(notice)
    assert notice.state == NoticeState.EXTENDED
    assert notice.current_ends_at == start + timedelta(hours=9)
    assert notice.is_major  # the extension made it major

    restored_at = timezone.now()
    record_update(notice.pk, UpdateKind.RESTORED, occurred_at=restored_at, text="已恢复供热")
    notice = reload(notice)
    assert notice.state == NoticeState.RESTORED
    assert notice.restored_at == restored_at
    assert notice.current_ends_at == restored_at
    timeline = list(notice.updates.values_list("kind", "state_after"))
    assert timeline == [
        ("started", "in_progress"),
        ("extended", "extended"),
        ("restored", "restored"),
    ]


def test_cancel_only_before_start_and_nothing_after_the_end():
    notice = make_notice()
    record_update(notice.pk, UpdateKind.CANCELLED, text="检修取消")
    assert reload(notice).state == NoticeState.CANCELLED
    with pytest.raises(InvalidTransition, match="通知当前为“已取消”，不能记录“进展”"):
        record_update(notice.pk, UpdateKind.INFO, text="补充说明")
    assert NoticeUpdate.objects.filter(notice=notice).count() == 1


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        (UpdateKind.RESTORED, {}, "不能记录“已恢复”"),
        (UpdateKind.EXTENDED, {}, "延长需要填写新的结束时间"),
        (UpdateKind.EXTENDED, {"new_ends_at_hours": 3}, "新的结束时间必须晚于当前的结束时间"),
    ],
)
def test_invalid_updates_are_refused_in_chinese_and_change_nothing(kind, kwargs, message):
    notice = make_notice()
    if "new_ends_at_hours" in kwargs:
        kwargs = {
            "new_ends_at": notice.starts_at + timedelta(hours=kwargs.pop("new_ends_at_hours"))
        }
    before = (reload(notice).state, reload(notice).current_ends_at, reload(notice).changed_at)
    with pytest.raises(InvalidTransition, match=message):
        record_update(notice.pk, kind, **kwargs)
    after = reload(notice)
    assert (after.state, after.current_ends_at, after.changed_at) == before
    assert not after.updates.exists()


def test_extending_before_the_start_keeps_it_scheduled():
    notice = make_notice()
    record_update(
        notice.pk, UpdateKind.EXTENDED, new_ends_at=notice.starts_at + timedelta(hours=20)
    )
    notice = reload(notice)
    assert notice.state == NoticeState.SCHEDULED
    assert notice.duration == timedelta(hours=20)


def test_clock_starts_and_restores_and_is_idempotent():
    now = timezone.now()
    notice = make_notice(starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=3))

    def advance(at):
        return [u for u in advance_by_clock(at) if u.notice_id == notice.pk]

    assert advance(now) == []
    [started] = advance(now + timedelta(hours=2))
    assert started.kind == UpdateKind.STARTED and started.automatic
    assert started.occurred_at == notice.starts_at
    assert advance(now + timedelta(hours=2)) == []  # running twice records nothing more
    [restored] = advance(now + timedelta(hours=4))
    assert restored.occurred_at == notice.ends_at
    assert reload(notice).state == NoticeState.RESTORED
    assert advance(now + timedelta(hours=5)) == []


def test_clock_ignores_drafts():
    now = timezone.now()
    draft = make_notice(
        publish=False, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    assert [u for u in advance_by_clock(now) if u.notice_id == draft.pk] == []
    assert reload(draft).state == NoticeState.SCHEDULED


def test_publishing_an_old_revision_keeps_the_lifecycle():
    notice = make_notice()
    old_revision = notice.latest_revision
    record_update(notice.pk, UpdateKind.CANCELLED, text="取消")
    reload(notice).save_revision().publish()  # a later edit
    old_revision.publish()  # an editor restores the earlier text
    notice = reload(notice)
    assert notice.state == NoticeState.CANCELLED
    assert notice.updates.count() == 1


def test_a_scheduled_go_live_is_not_a_publication():
    from wagtail.signals import page_published

    notice = make_notice(publish=False)
    sent = []
    page_published.connect(lambda **kwargs: sent.append(kwargs), weak=False, dispatch_uid="probe")
    try:
        notice.go_live_at = timezone.now() + timedelta(hours=2)
        notice.save_revision(approved_go_live_at=notice.go_live_at).publish()
    finally:
        page_published.disconnect(dispatch_uid="probe")
    notice = reload(notice)
    assert not notice.live
    assert notice.went_live_at is None
    assert notice.state == NoticeState.SCHEDULED
