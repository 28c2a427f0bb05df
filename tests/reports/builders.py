"""Records with known figures for the reports' tests: notices with their timelines, requests
at given stages, temperature readings and ledger rows, each at the instant the test names."""

from datetime import datetime
from decimal import Decimal

from alerts.enums import DeliveryStatus
from alerts.models import Delivery, OutboundMessage
from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from servicedesk.enums import EventKind, RequestStatus, Signature
from servicedesk.models import RequestEvent, ServiceRequest, TemperatureReading
from tests.clock import parse_instant
from tests.factories.notices import make_notice
from tests.factories.servicedesk import make_request


def at(value: str) -> datetime:
    """'2024-03-02T08:00' China time."""
    return parse_instant(value)


def notice(clock, published: str, starts: str, ends: str | None, **fields):
    """A notice published at `published` (the clock is moved there)."""
    clock(published)
    return make_notice(starts_at=at(starts), ends_at=at(ends) if ends else None, **fields)


def happened(notice_page, *, restored: str | None = None, extended_to: str | None = None):
    """The outage began at its start, was perhaps extended and perhaps restored."""
    record_update(notice_page.pk, UpdateKind.STARTED, occurred_at=notice_page.starts_at)
    if extended_to:
        record_update(
            notice_page.pk,
            UpdateKind.EXTENDED,
            occurred_at=notice_page.starts_at,
            new_ends_at=at(extended_to),
        )
    if restored:
        record_update(notice_page.pk, UpdateKind.RESTORED, occurred_at=at(restored))


def request(clock, submitted: str, community, kind="complaint", **changes) -> ServiceRequest:
    """A routed request submitted at `submitted` (deadlines from the commitments), then changed
    as given: first_contact_at / closed_at as instants, status, rating."""
    clock(submitted)
    service_request = make_request(kind=kind, community=community, submitted_at=at(submitted))
    for name in ("first_contact_at", "closed_at"):
        if name in changes:
            changes[name] = at(changes[name])
    if "closed_at" in changes:
        changes.setdefault("status", RequestStatus.CLOSED)
    ServiceRequest.objects.filter(pk=service_request.pk).update(**changes)
    service_request.refresh_from_db()
    return service_request


def reading(service_request, measured: str, average: str, *, refused=False, standard="18.0"):
    """One room measured at `measured`."""
    moment = at(measured)
    event = RequestEvent.objects.create(
        request=service_request, kind=EventKind.TEMPERATURE, at=moment
    )
    return TemperatureReading.objects.create(
        request=service_request,
        event=event,
        measured_at=moment,
        room="主卧",
        room_area=Decimal("16.0"),
        readings=[average],
        average=Decimal(average),
        doors_closed_since=moment,
        signature=Signature.REFUSED if refused else Signature.SIGNED,
        standard_temperature=Decimal(standard),
    )


def message(notice_page, channel: str, created: str) -> OutboundMessage:
    created_message = OutboundMessage.objects.create(
        notice=notice_page,
        channel=channel,
        event="published",
        event_key=f"published-test-{channel}-{created}",
        text="t",
        not_before=at(created),
    )
    OutboundMessage.objects.filter(pk=created_message.pk).update(created_at=at(created))
    return created_message


def delivery(outbound, recipient_id: int, status: str, handed_over: str | None = None):
    return Delivery.objects.create(
        message=outbound,
        recipient_id=recipient_id,
        status=status,
        handed_over_at=at(handed_over) if handed_over else None,
    )


SENT, FAILED, PENDING, UNCONFIRMED = (
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.PENDING,
    DeliveryStatus.UNCONFIRMED,
)
