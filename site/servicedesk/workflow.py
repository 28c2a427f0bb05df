"""Everything that changes a request, in one place, each step recorded as a RequestEvent.

首问负责 (seed 004): whoever takes a request owns it until it is closed or explicitly handed
over; only the owner acts on it, a supervisor (审核) may reassign it. Deadlines are fixed when
the number is proven, from the published commitments, and never move afterwards: a hand-over
does not restart the clock the resident was promised."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.lookup import published_commitments
from core.tasks import enqueue
from servicedesk import deadlines, routing, tasks
from servicedesk.calendar import load_calendar
from servicedesk.enums import (
    CONTACT_EVENTS,
    EventKind,
    RequestKind,
    RequestStatus,
    ResidentMessageKind,
    Signature,
)
from servicedesk.kinds import RULES
from servicedesk.models import RequestEvent, ServiceRequest, TemperatureReading
from sms.verification import check_code, claim_code, issue_code

CODE_PURPOSE = "service_request"  # what its codes prove a number for (sms.verification)


class WorkflowError(ValueError):
    """A step that is not allowed now; the message (Chinese) says why."""


def _enqueue(func, *args) -> None:
    """Queue a task of servicedesk.tasks after the transaction commits (each is idempotent)."""
    transaction.on_commit(
        lambda: enqueue(func, *args, task_name=f"{func.__module__}.{func.__name__}:{args}")
    )


def _refresh_figures(request: ServiceRequest) -> None:
    if request.submitted_at:
        month = timezone.localtime(request.submitted_at).strftime("%Y-%m")
        _enqueue(tasks.refresh_compliance, month)


def _record(request, kind, user=None, note="", at=None, **fields) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        at=at or timezone.now(),
        actor=user,
        actor_name=_display_name(user),
        note=note,
        **fields,
    )


def _display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# Submitting ---------------------------------------------------------------------------------


@transaction.atomic
def submit(
    kind: RequestKind, community, phone: str, description: str, address="", account_number=""
) -> ServiceRequest:
    """A request waiting for its number to be proven: texted a code, not routed, not counted.
    Nothing is kept if the number's budget allows no code now (sms.verification.CodeBudgetSpent)."""
    request = ServiceRequest.objects.create(
        kind=kind,
        community=community,
        station=routing.station_for(community),
        phone=phone,
        description=description,
        address=address,
        account_number=account_number,
    )
    issue_code(phone, CODE_PURPOSE, _("提交供热服务诉求"))
    return request


def confirm(request: ServiceRequest, code: str) -> ServiceRequest:
    """Prove the number with the texted code; then the request is routed to its station with
    its deadlines, and the resident gets a receipt by SMS."""
    if request.status != RequestStatus.UNVERIFIED:
        raise WorkflowError(_("该诉求已经提交，无需再次验证。"))
    pending = check_code(request.phone, CODE_PURPOSE, code)
    with transaction.atomic():
        claim_code(pending)
        now = timezone.now()
        request.status, request.submitted_at = RequestStatus.SUBMITTED, now
        # The directory may have moved the community since the form was filled in.
        request.station = routing.station_for(request.community)
        apply_deadlines(request, now)
        request.save()
        _record(request, EventKind.SUBMITTED, at=now, to_station=request.station)
        _enqueue(tasks.notify_resident, request.pk, ResidentMessageKind.RECEIVED)
        _refresh_figures(request)
    return request


def apply_deadlines(request: ServiceRequest, start) -> None:
    """Contact and resolve deadlines from the commitments the request's kind names. A
    commitment not published (yet) leaves that deadline empty, shown as 未设定 to staff."""
    rule = RULES[RequestKind(request.kind)]
    calendar = load_calendar()
    commitments = published_commitments([rule.contact_key, rule.resolve_key])
    for which, key in (("contact", rule.contact_key), ("resolve", rule.resolve_key)):
        commitment = commitments.get(key)
        if commitment is None:
            due, basis, remind = None, "", None
        else:
            due = deadlines.deadline(commitment.limit_unit, commitment.limit_value, start, calendar)
            basis = (
                f"{commitment.page.title}：{commitment.service_item}（{commitment.limit_display}）"
            )
            remind = deadlines.reminder_time(start, due)
        setattr(request, f"{which}_due_at", due)
        setattr(request, f"{which}_limit", basis[:200])
        setattr(request, f"{which}_remind_at", remind)
    if request.contact_due_at and request.resolve_due_at:
        request.contact_due_at = min(request.contact_due_at, request.resolve_due_at)
        request.contact_remind_at = min(request.contact_remind_at, request.contact_due_at)


# Staff steps --------------------------------------------------------------------------------


def _locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _require_open(request: ServiceRequest) -> None:
    if not request.is_open:
        raise WorkflowError(_("该诉求已办结，不能再办理。"))


def _require_owner(request: ServiceRequest, user) -> None:
    if request.owner_id is None:
        raise WorkflowError(_("请先受理该诉求。"))
    if request.owner_id != user.pk:
        raise WorkflowError(
            _("该诉求由%(owner)s首问负责，只有负责人可以办理；如需接手，请负责人移交。")
            % {"owner": _display_name(request.owner)}
        )


def _require_access(request: ServiceRequest, user) -> None:
    if not routing.can_see(user, request):
        raise WorkflowError(_("您无权办理其他供热站的诉求。"))


@transaction.atomic
def take(request: ServiceRequest, user) -> ServiceRequest:
    """受理: the first of the station's staff to take it owns it."""
    request = _locked(request)
    _require_access(request, user)
    _require_open(request)
    if request.owner_id is not None:
        if request.owner_id == user.pk:
            return request
        raise WorkflowError(
            _("该诉求已由%(owner)s受理。") % {"owner": _display_name(request.owner)}
        )
    now = timezone.now()
    request.owner, request.taken_at, request.status = user, now, RequestStatus.IN_PROGRESS
    request.save(update_fields=["owner", "taken_at", "status", "updated_at"])
    _record(request, EventKind.TAKEN, user, at=now, to_user=user)
    return request


@transaction.atomic
def record_action(request: ServiceRequest, user, kind: EventKind, note: str, at=None):
    """联系用户 / 上门服务 / 办理记录, by the owner. The first contact with the resident is
    kept: it is what the compliance page's median measures."""
    if kind not in (EventKind.CONTACTED, EventKind.VISITED, EventKind.NOTE):
        raise WorkflowError(_("不支持的办理事项。"))
    request = _locked(request)
    _require_access(request, user)
    _require_open(request)
    _require_owner(request, user)
    event = _record(request, kind, user, note=note.strip(), at=_not_future(at))
    _note_contact(request, event)
    return event


@transaction.atomic
def record_temperature(
    request: ServiceRequest,
    user,
    *,
    room: str,
    room_area: Decimal,
    readings: list[Decimal],
    doors_closed_since,
    signature: Signature,
    measured_at=None,
    standard_temperature: Decimal = Decimal("18.0"),
    note: str = "",
) -> TemperatureReading:
    """入户测温 by seed 004's method; refused if the method was not followed."""
    request = _locked(request)
    _require_access(request, user)
    _require_open(request)
    _require_owner(request, user)
    measured_at = _not_future(measured_at)
    required = TemperatureReading.points_required(room_area)
    if len(readings) != required:
        raise WorkflowError(
            _("%(area)s㎡的房间应设%(points)d个测温点，请填写%(points)d个读数。")
            % {"area": room_area, "points": required}
        )
    if doors_closed_since > measured_at - timedelta(hours=TemperatureReading.MIN_CLOSED_HOURS):
        raise WorkflowError(_("测温前门窗应关闭3小时以上，本次测温无效，请另约时间。"))
    average = (sum(readings) / len(readings)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    event = _record(
        request,
        EventKind.TEMPERATURE,
        user,
        note=note.strip() or f"{room} {average}℃",
        at=measured_at,
    )
    reading = TemperatureReading.objects.create(
        request=request,
        event=event,
        measured_at=measured_at,
        room=room,
        room_area=room_area,
        readings=[str(value) for value in readings],
        average=average,
        doors_closed_since=doors_closed_since,
        signature=signature,
        standard_temperature=standard_temperature,
    )
    _note_contact(request, event)
    return reading


@transaction.atomic
def hand_over(request: ServiceRequest, user, *, reason: str, to_user=None, to_station=None):
    """移交: the owner (or a supervisor) passes the request to a colleague of the same station
    or to another station, whose staff then take it. Both sides and the reason are recorded."""
    request = _locked(request)
    _require_access(request, user)
    _require_open(request)
    if not routing.can_supervise(user):
        _require_owner(request, user)
    if not reason.strip():
        raise WorkflowError(_("请填写移交原因。"))
    if (to_user is None) == (to_station is None):
        raise WorkflowError(_("请选择接手的同事或供热站（二选一）。"))
    from_user, from_station = request.owner, request.station
    if to_station is not None:
        if to_station.pk == request.station_id:
            raise WorkflowError(_("该诉求已在此供热站，请选择接手的同事。"))
        request.station, request.owner, request.status = to_station, None, RequestStatus.SUBMITTED
    else:
        if to_user.pk == request.owner_id:
            raise WorkflowError(_("不能移交给自己。"))
        if not routing.staff_of(request.station).filter(pk=to_user.pk).exists():
            raise WorkflowError(
                _("%(user)s不是%(station)s的服务人员。")
                % {"user": _display_name(to_user), "station": request.station.name}
            )
        request.owner, request.status = to_user, RequestStatus.IN_PROGRESS
        request.taken_at = request.taken_at or timezone.now()
    request.save()
    _record(
        request,
        EventKind.HANDED_OVER,
        user,
        note=reason.strip(),
        from_user=from_user,
        to_user=to_user,
        from_station=from_station,
        to_station=to_station or request.station,
    )
    _refresh_figures(request)  # the figures are per station
    return request


@transaction.atomic
def close(request: ServiceRequest, user, resolution: str) -> ServiceRequest:
    """办结 by the owner: the resident is texted a link to rate the service, and a return call
    is scheduled inside the calling hours within 24 hours."""
    from servicedesk.scheduling import schedule_return_visit

    request = _locked(request)
    _require_access(request, user)
    _require_open(request)
    _require_owner(request, user)
    if not resolution.strip():
        raise WorkflowError(_("请填写办理结果。"))
    now = timezone.now()
    request.status, request.closed_at, request.resolution = (
        RequestStatus.CLOSED,
        now,
        resolution.strip(),
    )
    request.return_visit_at = deadlines.return_visit_time(now)
    request.save()
    _record(request, EventKind.CLOSED, user, note=request.resolution, at=now)
    schedule_return_visit(request)
    _enqueue(tasks.notify_resident, request.pk, ResidentMessageKind.CLOSED)
    _refresh_figures(request)
    return request


@transaction.atomic
def record_return_visit(request: ServiceRequest, user, note: str) -> RequestEvent:
    """回访 after closing, by any of the station's staff (the owner may be off duty)."""
    request = _locked(request)
    _require_access(request, user)
    if request.status != RequestStatus.CLOSED:
        raise WorkflowError(_("诉求办结后才能回访。"))
    if not note.strip():
        raise WorkflowError(_("请填写回访情况。"))
    now = timezone.now()
    if request.return_visited_at is None:
        request.return_visited_at = now
        request.save(update_fields=["return_visited_at", "updated_at"])
    return _record(request, EventKind.RETURN_VISIT, user, note=note.strip(), at=now)


# The resident -------------------------------------------------------------------------------


@transaction.atomic
def rate(request: ServiceRequest, score: int, comment: str = "") -> ServiceRequest:
    """评价, once, from the tracking page, after closing."""
    request = _locked(request)
    if request.status != RequestStatus.CLOSED:
        raise WorkflowError(_("诉求办结后才能评价。"))
    if request.rating is not None:
        raise WorkflowError(_("您已经评价过了，感谢您的反馈。"))
    now = timezone.now()
    request.rating, request.rating_comment, request.rated_at = score, comment.strip()[:300], now
    request.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _record(request, EventKind.RATED, at=now)
    _refresh_figures(request)
    return request


def _not_future(at):
    now = timezone.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=5):
        raise WorkflowError(_("办理时间不能晚于现在。"))
    return at


def _note_contact(request: ServiceRequest, event: RequestEvent) -> None:
    if event.kind in CONTACT_EVENTS and (
        request.first_contact_at is None or event.at < request.first_contact_at
    ):
        request.first_contact_at = event.at
        request.save(update_fields=["first_contact_at", "updated_at"])
        _refresh_figures(request)
