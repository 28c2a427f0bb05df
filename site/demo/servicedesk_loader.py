"""Loads the service desk's holiday calendar and demo requests (demo.content.servicedesk).

Kept apart from demo.loader.load_demo, which the test suite loads once per run: the tests of
the service desk build their own requests and calendars and count them exactly. Idempotent:
the calendar is upserted by date, a demo request is skipped if its number already asked."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from contacts.models import Community
from demo.content import servicedesk as content
from servicedesk import deadlines, workflow
from servicedesk.enums import EventKind, RequestStatus, Signature
from servicedesk.models import CalendarDay, RequestEvent, ServiceRequest, TemperatureReading
from servicedesk.routing import ensure_desk
from servicedesk.tasks import refresh_compliance

STAFF_NAMES = ["王建国", "李淑芬", "张志强", "刘洪涛", "陈立新", "赵玉梅"]


@transaction.atomic
def load_service_desk_demo() -> dict[str, int]:
    for day, kind, name in content.HOLIDAYS:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    now = timezone.now().replace(second=0, microsecond=0)
    for number, item in enumerate(content.REQUESTS):
        _request(number, *item, now=now)
    # The public figures, computed from these records as the schedule would.
    months = {
        timezone.localtime(submitted).strftime("%Y-%m")
        for submitted in ServiceRequest.objects.routed().values_list("submitted_at", flat=True)
    }
    for month in sorted(months):
        refresh_compliance(month)
    return {
        "calendar_days": CalendarDay.objects.count(),
        "requests": ServiceRequest.objects.routed().count(),
    }


def _staff(station):
    """One demo member of the station's service team, without a password: an administrator
    gives one in the admin (用户) to sign in as station staff."""
    index = station.pk % len(STAFF_NAMES)
    user, created = get_user_model().objects.get_or_create(
        username=f"desk-{station.pk}", defaults={"first_name": STAFF_NAMES[index]}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(ensure_desk(station).group)
    return user


def _request(number, days_ago, hour, kind, code, description, steps, rating, *, now):
    if days_ago:
        day = timezone.localdate() - timedelta(days=days_ago)
        submitted = timezone.make_aware(datetime.combine(day, time(hour)))
    else:
        submitted = now + timedelta(hours=hour)
    add_request(f"1390000{9000 + number:04d}", submitted, kind, code, description, steps, rating)


# The room a temperature step measures unless it names its own: a 16 ㎡ bedroom, one point.
BEDROOM = [("主卧", "16.0", ["16.2"])]
STANDARD_TEMPERATURE = Decimal("18.0")


def add_request(phone, submitted, kind, code, description, steps, rating) -> ServiceRequest | None:
    """A routed request from `phone` as it went: submitted at `submitted` to the community's
    station, its deadlines from the commitments published now, then each step (kind, hours
    after submission, note[, rooms measured]) by the station's demo staff, and the rating.
    None when a request from that number exists already (the loaders' idempotence)."""
    if ServiceRequest.objects.filter(phone=phone).exists():
        return None
    community = Community.objects.select_related("station").get(code=code)
    request = ServiceRequest(
        kind=kind,
        community=community,
        station=community.station,
        phone=phone,
        description=description,
        status=RequestStatus.SUBMITTED,
        submitted_at=submitted,
    )
    workflow.apply_deadlines(request, submitted)
    request.save()
    staff = _staff(community.station)
    _event(request, EventKind.SUBMITTED, submitted, None, "", to_station=request.station)
    if steps:
        request.owner, request.taken_at = staff, submitted + timedelta(minutes=10)
        request.status = RequestStatus.IN_PROGRESS
        _event(request, EventKind.TAKEN, request.taken_at, staff, "", to_user=staff)
    for step, hours, note, *rooms in steps:
        at = submitted + timedelta(hours=hours)
        if step in (EventKind.CONTACTED, EventKind.VISITED, EventKind.TEMPERATURE):
            request.first_contact_at = request.first_contact_at or at
        if step == EventKind.TEMPERATURE:
            _measure(request, at, staff, note, rooms[0] if rooms else BEDROOM)
            continue
        _event(request, step, at, staff, note)
        if step == EventKind.CLOSED:
            request.status, request.closed_at, request.resolution = RequestStatus.CLOSED, at, note
            request.return_visit_at = deadlines.return_visit_time(at)
        elif step == EventKind.RETURN_VISIT:
            request.return_visited_at = at
    if rating and request.closed_at:
        request.rating, request.rated_at = rating, request.closed_at + timedelta(hours=3)
        _event(request, EventKind.RATED, request.rated_at, None, "")
    request.save()
    return request


def _measure(request, at, staff, note, rooms) -> None:
    """Seed 004 测温办法: each room measured apart (one 入户测温 step each), its points read
    after doors and windows were closed 3 hours or more; rooms are (room, area, readings[,
    signature]), the household signing unless the signature says refused."""
    for room, area, readings, *signature in rooms:
        event = _event(request, EventKind.TEMPERATURE, at, staff, note)
        average = sum(Decimal(reading) for reading in readings) / len(readings)
        TemperatureReading.objects.create(
            request=request,
            event=event,
            measured_at=at,
            room=room,
            room_area=Decimal(area),
            readings=readings,
            average=average.quantize(Decimal("0.1")),
            doors_closed_since=at - timedelta(hours=3, minutes=20),
            signature=signature[0] if signature else Signature.SIGNED,
            standard_temperature=STANDARD_TEMPERATURE,
        )


def _event(request, kind, at, user, note, **fields) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        at=at,
        actor=user,
        actor_name=user.get_full_name() or user.get_username() if user else "",
        note=note,
        **fields,
    )
