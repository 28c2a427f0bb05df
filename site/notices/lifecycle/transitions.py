"""The notice state machine: 预告 → 进行中 → (已延长) → 已恢复, or 预告 → 已取消.

Every change is a NoticeUpdate appended to the timeline together with the notice's new state,
under a row lock, so two editors (or an editor and the clock job) cannot both move a notice
from the same state."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.cache_tags import invalidate_notice
from notices.enums import NoticeState, UpdateKind
from notices.lifecycle.signals import notice_updated
from notices.models import LIFECYCLE_FIELDS, NoticeUpdate, OutageNoticePage

S = NoticeState
ALLOWED_FROM = {
    UpdateKind.STARTED: {S.SCHEDULED},
    UpdateKind.EXTENDED: {S.SCHEDULED, S.IN_PROGRESS, S.EXTENDED},
    UpdateKind.RESTORED: {S.IN_PROGRESS, S.EXTENDED},
    UpdateKind.CANCELLED: {S.SCHEDULED},
    UpdateKind.INFO: {S.SCHEDULED, S.IN_PROGRESS, S.EXTENDED},
}


class InvalidTransition(ValueError):
    pass


def allowed_kinds(state: str) -> list[str]:
    return [kind for kind, states in ALLOWED_FROM.items() if state in states]


def _state_after(kind: str, state: str) -> str:
    match kind:
        case UpdateKind.STARTED:
            return S.IN_PROGRESS
        case UpdateKind.EXTENDED:
            # Moving the end of an outage that has not begun does not make it "extended".
            return S.SCHEDULED if state == S.SCHEDULED else S.EXTENDED
        case UpdateKind.RESTORED:
            return S.RESTORED
        case UpdateKind.CANCELLED:
            return S.CANCELLED
    return state


def record_update(
    notice_id: int,
    kind: str,
    *,
    text: str = "",
    occurred_at: datetime | None = None,
    new_ends_at: datetime | None = None,
    author=None,
    automatic: bool = False,
) -> NoticeUpdate:
    """Append one entry to the timeline and move the notice; raises InvalidTransition with a
    Chinese message (and changes nothing) when the entry does not fit the notice's state."""
    now = timezone.now()
    occurred_at = occurred_at or now
    with transaction.atomic():
        notice = OutageNoticePage.objects.select_for_update().get(pk=notice_id)
        _check(notice, kind, occurred_at, new_ends_at)
        state = _state_after(kind, notice.state)
        update = NoticeUpdate.objects.create(
            notice=notice,
            kind=kind,
            occurred_at=occurred_at,
            text=text,
            new_ends_at=new_ends_at,
            state_after=state,
            author=author,
            automatic=automatic,
        )
        was_major = notice.is_major
        notice.state = state
        if kind == UpdateKind.RESTORED:
            notice.restored_at = occurred_at
        notice.refresh_lifecycle_derivations()
        notice.changed_at = now
        OutageNoticePage.objects.filter(pk=notice.pk).update(
            **{name: getattr(notice, name) for name in LIFECYCLE_FIELDS if name != "went_live_at"}
        )
        invalidate_notice(notice.pk)
        transaction.on_commit(
            lambda: notice_updated.send(
                sender=OutageNoticePage,
                notice_id=notice.pk,
                update_id=update.pk,
                was_major=was_major,
            )
        )
    return update


def _check(notice: OutageNoticePage, kind: str, occurred_at, new_ends_at) -> None:
    if kind not in ALLOWED_FROM:
        raise InvalidTransition(_("未知的进展类型。"))
    if notice.state not in ALLOWED_FROM[kind]:
        raise InvalidTransition(
            _("通知当前为“%(state)s”，不能记录“%(kind)s”。")
            % {"state": S(notice.state).label, "kind": UpdateKind(kind).label}
        )
    if kind == UpdateKind.EXTENDED:
        if new_ends_at is None:
            raise InvalidTransition(_("延长需要填写新的结束时间。"))
        if notice.current_ends_at and new_ends_at <= notice.current_ends_at:
            raise InvalidTransition(_("新的结束时间必须晚于当前的结束时间。"))
    if new_ends_at is not None and new_ends_at <= notice.starts_at:
        raise InvalidTransition(_("新的结束时间必须晚于开始时间。"))
    if kind == UpdateKind.RESTORED and occurred_at < notice.starts_at:
        raise InvalidTransition(_("恢复时间不能早于开始时间。"))


def advance_by_clock(now: datetime | None = None) -> list[NoticeUpdate]:
    """Start notices whose start has come and restore those whose end has passed, as timeline
    entries marked automatic. Safe to run twice or concurrently: a notice that has moved on is
    skipped."""
    now = now or timezone.now()
    recorded = []
    due = OutageNoticePage.objects.live().filter(
        state__in=(S.SCHEDULED, S.IN_PROGRESS, S.EXTENDED), starts_at__lte=now
    )
    for notice in due.only("pk", "state", "starts_at", "current_ends_at").order_by("starts_at"):
        recorded += _advance(notice, now)
    return recorded


def advance_notice(notice_id: int, now: datetime | None = None) -> list[NoticeUpdate]:
    notice = OutageNoticePage.objects.get(pk=notice_id)
    return _advance(notice, now or timezone.now())


def _advance(notice: OutageNoticePage, now: datetime) -> list[NoticeUpdate]:
    recorded = []
    try:
        if notice.state == S.SCHEDULED and notice.starts_at <= now:
            recorded.append(
                record_update(
                    notice.pk,
                    UpdateKind.STARTED,
                    occurred_at=notice.starts_at,
                    text=_("已到开始时间。"),
                    automatic=True,
                )
            )
            notice.refresh_from_db(fields=["state", "current_ends_at"])
        if (
            notice.state in (S.IN_PROGRESS, S.EXTENDED)
            and notice.current_ends_at
            and notice.current_ends_at <= now
        ):
            recorded.append(
                record_update(
                    notice.pk,
                    UpdateKind.RESTORED,
                    occurred_at=notice.current_ends_at,
                    text=_("已到预定结束时间，恢复供应。"),
                    automatic=True,
                )
            )
    except InvalidTransition:
        pass  # another worker moved it first
    return recorded
