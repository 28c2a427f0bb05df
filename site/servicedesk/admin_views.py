"""The staff's side of the service desk in the Wagtail admin: the list of the requests the user
may see, one request with its timeline and the forms of the steps open to the user now, and
the counts of the dashboard panel.

Who sees what is servicedesk.routing's decision, what may be done when is
servicedesk.workflow's: these views only show, and pass the forms' data on."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from contacts.models import Station
from core.formatting import format_duration
from servicedesk import deadlines, routing, workflow
from servicedesk.admin_forms import (
    STATUS_ALL,
    STATUS_OPEN,
    ActionForm,
    CloseForm,
    HandOverForm,
    RequestFilterForm,
    ReturnVisitForm,
    TakeForm,
    TemperatureForm,
)
from servicedesk.calendar import missing_years
from servicedesk.enums import DeadlineOutcome, EventKind, RequestStatus, Signature
from servicedesk.models import ServiceRequest

PAGE_SIZE = 50
# 即将超时: a deadline within this time, or its reminder time passed (deadlines.reminder_time).
DUE_SOON = timedelta(hours=2)


def can_use_desk(user) -> bool:
    return user.is_active and (user.has_perm(routing.HANDLE) or user.has_perm(routing.SUPERVISE))


def _require_desk(user) -> None:
    if not can_use_desk(user):
        raise PermissionDenied


# Deadlines ----------------------------------------------------------------------------------


def overdue_q(now: datetime) -> Q:
    """Open requests past a deadline: not closed in time, or not contacted in time."""
    return Q(resolve_due_at__lt=now) | Q(first_contact_at__isnull=True, contact_due_at__lt=now)


def due_soon_q(now: datetime) -> Q:
    """Open requests not yet overdue whose next deadline is near or whose reminder is due."""
    soon = now + DUE_SOON
    resolve = Q(resolve_due_at__gte=now) & (
        Q(resolve_due_at__lte=soon) | Q(resolve_remind_at__lte=now)
    )
    contact = Q(first_contact_at__isnull=True, contact_due_at__gte=now) & (
        Q(contact_due_at__lte=soon) | Q(contact_remind_at__lte=now)
    )
    return (resolve | contact) & ~overdue_q(now)


@dataclass(frozen=True)
class DeadlineState:
    due: datetime | None
    basis: str
    text: str  # says it all: the colour (tone) only repeats it
    tone: str  # "" | "soon" | "overdue" | "late"


def contact_state(request: ServiceRequest, now: datetime) -> DeadlineState:
    return _state(
        request.contact_due_at,
        request.contact_limit,
        request.first_contact_at,
        request.contact_remind_at,
        now,
        request.is_open,
    )


def resolve_state(request: ServiceRequest, now: datetime) -> DeadlineState:
    return _state(
        request.resolve_due_at,
        request.resolve_limit,
        request.closed_at,
        request.resolve_remind_at,
        now,
        request.is_open,
    )


def _state(due, basis, done_at, remind_at, now, is_open) -> DeadlineState:
    """The deadline's outcome (servicedesk.deadlines.outcome) in the desk's words: how late,
    how long left, and a closed request whose contact was never recorded."""
    result = deadlines.outcome(due, done_at, now)
    match result:
        case DeadlineOutcome.UNSET:
            return DeadlineState(None, basis, _("未设定"), "")
        case DeadlineOutcome.MET:
            return DeadlineState(due, basis, _("按时完成"), "")
        case DeadlineOutcome.LATE:
            late = format_duration(done_at - due)
            return DeadlineState(due, basis, _("超时%(late)s完成") % {"late": late}, "late")
    if not is_open:
        return DeadlineState(due, basis, _("办结前未记录联系"), "late")
    if result == DeadlineOutcome.OVERDUE:
        return DeadlineState(
            due, basis, _("已超时%(late)s") % {"late": format_duration(now - due)}, "overdue"
        )
    left = format_duration(due - now)
    if due - now <= DUE_SOON or (remind_at is not None and remind_at <= now):
        return DeadlineState(due, basis, _("即将超时，剩余%(left)s") % {"left": left}, "soon")
    return DeadlineState(due, basis, _("剩余%(left)s") % {"left": left}, "")


# The list -----------------------------------------------------------------------------------


def _filter_stations(user):
    """The stations the list can be narrowed to: all for supervisors, the user's own when they
    serve several, None (no choice) otherwise."""
    if routing.can_supervise(user):
        return Station.objects.order_by("name")
    ids = routing.station_ids_of(user)
    if len(ids) > 1:
        return Station.objects.filter(pk__in=ids).order_by("name")
    return None


def filtered_requests(user, filters: dict, now: datetime):
    """The list's rows: what the user may see, narrowed by the filter form's cleaned data."""
    requests = routing.visible_requests(user).select_related("community", "station", "owner")
    status = filters.get("status") or STATUS_OPEN
    if status == STATUS_OPEN:
        requests = requests.open()
    elif status != STATUS_ALL:
        requests = requests.filter(status=status)
    if filters.get("kind"):
        requests = requests.filter(kind=filters["kind"])
    if filters.get("station"):
        requests = requests.filter(station=filters["station"])
    if filters.get("mine"):
        requests = requests.filter(owner_id=user.pk)
    if filters.get("untaken"):
        requests = requests.open().filter(owner__isnull=True)
    if filters.get("overdue"):
        requests = requests.open().filter(overdue_q(now))
    if filters.get("due_soon"):
        requests = requests.open().filter(due_soon_q(now))
    if query := filters.get("q"):
        if query.isdigit() and len(query) == 11:
            requests = requests.filter(phone=query)
        else:
            requests = requests.filter(reference__icontains=query)
    if status in (STATUS_ALL, RequestStatus.CLOSED):
        return requests.order_by("-submitted_at", "-pk")
    # Work to do: the nearest deadline first.
    return requests.order_by(F("resolve_due_at").asc(nulls_last=True), "submitted_at", "pk")


def request_list(request):
    user = request.user
    _require_desk(user)
    now = timezone.now()
    form = RequestFilterForm(request.GET, stations=_filter_stations(user))
    filters = form.cleaned_data if form.is_valid() else {}
    paginator = Paginator(filtered_requests(user, filters, now), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    rows = [
        {"request": item, "contact": contact_state(item, now), "resolve": resolve_state(item, now)}
        for item in page
    ]
    return TemplateResponse(
        request,
        "servicedesk/admin/request_list.html",
        {
            "form": form,
            "rows": rows,
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "filtered": any(value for key, value in request.GET.items() if key != "p"),
            "missing_holiday_years": missing_years(timezone.localdate(now)),
        },
    )


# One request --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    title: str
    submit: str
    form_class: type[forms.Form]
    perform: Callable  # (request, user, cleaned_data)
    done: str


def _take(service_request, user, data):
    workflow.take(service_request, user)


def _act(service_request, user, data):
    workflow.record_action(service_request, user, data["kind"], data["note"], at=data["at"])


def _measure(service_request, user, data):
    workflow.record_temperature(
        service_request,
        user,
        room=data["room"],
        room_area=data["room_area"],
        readings=data["readings"],
        doors_closed_since=data["doors_closed_since"],
        signature=Signature(data["signature"]),
        measured_at=data["measured_at"],
        note=data["note"],
    )


def _hand_over(service_request, user, data):
    workflow.hand_over(
        service_request,
        user,
        reason=data["reason"],
        to_user=data["to_user"],
        to_station=data["to_station"],
    )


def _close(service_request, user, data):
    workflow.close(service_request, user, data["resolution"])


def _return_visit(service_request, user, data):
    workflow.record_return_visit(service_request, user, data["note"])


STEPS = {
    "take": Step(
        gettext_lazy("受理"),
        gettext_lazy("受理该诉求（由我首问负责）"),
        TakeForm,
        _take,
        gettext_lazy("已受理，您是该诉求的首问负责人。"),
    ),
    "action": Step(
        gettext_lazy("联系用户 / 上门服务 / 办理记录"),
        gettext_lazy("保存记录"),
        ActionForm,
        _act,
        gettext_lazy("办理记录已保存。"),
    ),
    "temperature": Step(
        gettext_lazy("入户测温"),
        gettext_lazy("保存测温记录"),
        TemperatureForm,
        _measure,
        gettext_lazy("测温记录已保存。"),
    ),
    "hand_over": Step(
        gettext_lazy("移交"),
        gettext_lazy("移交"),
        HandOverForm,
        _hand_over,
        gettext_lazy("诉求已移交。"),
    ),
    "close": Step(
        gettext_lazy("办结"),
        gettext_lazy("办结并通知用户"),
        CloseForm,
        _close,
        gettext_lazy("诉求已办结，已通知用户评价，回访已排期。"),
    ),
    "return_visit": Step(
        gettext_lazy("回访"),
        gettext_lazy("保存回访记录"),
        ReturnVisitForm,
        _return_visit,
        gettext_lazy("回访记录已保存。"),
    ),
}


def available_steps(service_request: ServiceRequest, user) -> list[str]:
    """The forms shown: 受理 while nobody owns it, the owner's steps to the owner (首问负责),
    移交 also to supervisors, 回访 after closing."""
    if service_request.status == RequestStatus.CLOSED:
        return ["return_visit"]
    if not service_request.is_open:
        return []
    is_owner = service_request.owner_id == user.pk
    steps = []
    if service_request.owner_id is None:
        steps.append("take")
    if is_owner:
        steps += ["action", "temperature"]
    if is_owner or routing.can_supervise(user):
        steps.append("hand_over")
    if is_owner:
        steps.append("close")
    return steps


def _make_form(name: str, service_request: ServiceRequest, data=None) -> forms.Form:
    """Prefixed with the step's name: the page holds several forms with like-named fields."""
    form_class = STEPS[name].form_class
    if form_class is HandOverForm:
        return form_class(data, prefix=name, service_request=service_request)
    return form_class(data, prefix=name)


def _visible_or_404(user, pk: int) -> ServiceRequest:
    _require_desk(user)
    service_request = get_object_or_404(
        ServiceRequest.objects.select_related("community", "station", "owner"), pk=pk
    )
    if not routing.can_see(user, service_request):
        raise Http404
    return service_request


def request_detail(request, pk: int):
    return _render_detail(request, _visible_or_404(request.user, pk))


@require_POST
def request_step(request, pk: int, step: str):
    """One step's form posted: done and back to the request (PRG), or the request shown again
    with the form and why it was refused, nothing changed."""
    if step not in STEPS:
        raise Http404
    user = request.user
    service_request = _visible_or_404(user, pk)
    form = _make_form(step, service_request, request.POST)
    if form.is_valid():
        try:
            STEPS[step].perform(service_request, user, form.cleaned_data)
        except workflow.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, STEPS[step].done)
            service_request.refresh_from_db()
            if routing.can_see(user, service_request):
                return redirect("servicedesk_admin_detail", pk=service_request.pk)
            # Handed over to another station: no longer the user's to see.
            return redirect("servicedesk_admin_list")
    if step not in available_steps(service_request, user):
        # A form the page does not offer this user: say why at the top.
        for error in form.non_field_errors() or [_("现在不能办理此事项。")]:
            messages.error(request, error)
    return _render_detail(request, service_request, failed=(step, form), status=400)


def _render_detail(request, service_request: ServiceRequest, failed=None, status=200):
    user, now = request.user, timezone.now()
    steps = []
    for name in available_steps(service_request, user):
        if failed and failed[0] == name:
            form = failed[1]
        else:
            form = _make_form(name, service_request)
        steps.append({"name": name, "step": STEPS[name], "form": form})
    events = service_request.events.select_related(
        "from_user", "to_user", "from_station", "to_station"
    )
    return TemplateResponse(
        request,
        "servicedesk/admin/request_detail.html",
        {
            "service_request": service_request,
            "community": service_request.community,
            "deadline_rows": [
                (_("联系用户"), contact_state(service_request, now)),
                (_("办结"), resolve_state(service_request, now)),
            ],
            "events": events,
            "readings": service_request.temperature_readings.all(),
            "steps": steps,
            "resident_events": (EventKind.SUBMITTED, EventKind.RATED),
            "system_events": (EventKind.REMINDED, EventKind.ESCALATED),
        },
        status=status,
    )


# The dashboard ------------------------------------------------------------------------------


def dashboard_counts(user, now: datetime) -> dict[str, int]:
    """The panel's four counts in one query over the open requests the user may see."""
    return (
        routing.visible_requests(user)
        .open()
        .aggregate(
            mine=Count("pk", filter=Q(owner_id=user.pk)),
            due_soon=Count("pk", filter=due_soon_q(now)),
            untaken=Count("pk", filter=Q(owner__isnull=True)),
            overdue=Count("pk", filter=overdue_q(now)),
        )
    )
