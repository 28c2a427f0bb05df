"""Service requests and station staff for the tests, without the SMS round trip."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from contacts.models import Community
from servicedesk import workflow
from servicedesk.enums import RequestKind, RequestStatus
from servicedesk.models import ServiceRequest
from servicedesk.routing import ensure_desk

_numbers = itertools.count(1)


def make_request(
    kind=RequestKind.COMPLAINT,
    community=None,
    submitted_at=None,
    phone=None,
    description="暖气不热，卧室只有15度。",
    **fields,
) -> ServiceRequest:
    """A routed request (number proven), deadlines from the published commitments as at
    `submitted_at` (default now). Test numbers in the 1392000xxxx range."""
    community = community or Community.objects.select_related("station").order_by("code").first()
    submitted_at = submitted_at or timezone.now()
    request = ServiceRequest(
        kind=kind,
        community=community,
        station=community.station,
        phone=phone or f"1392000{next(_numbers):04d}",
        description=description,
        status=RequestStatus.SUBMITTED,
        submitted_at=submitted_at,
        **fields,
    )
    workflow.apply_deadlines(request, submitted_at)
    request.save()
    return request


def communities_of_two_stations() -> tuple[Community, Community]:
    """Two demo communities served by different stations."""
    first = Community.objects.select_related("station").order_by("code").first()
    second = (
        Community.objects.select_related("station")
        .exclude(station=first.station)
        .order_by("code")
        .first()
    )
    return first, second


def make_station_staff(station, username=None, **fields):
    """An active user in the station's service team group (servicedesk.routing)."""
    user = get_user_model().objects.create_user(
        username=username or f"staff{next(_numbers)}",
        password="pw",
        email=fields.pop("email", None) or f"staff{next(_numbers)}@example.com",
        **fields,
    )
    user.groups.add(ensure_desk(station).group)
    return user
