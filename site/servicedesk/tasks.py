"""django-q2 tasks of the service desk. Every one is idempotent: django-q2 redelivers a task
whose worker died and may run one twice. Arguments are ids, never personal data (the task
tables are kept and shown in the admin).

- notify_resident: the receipt and closing texts, once each (ResidentMessage, claimed before
  the provider is called).
- check_deadlines (every minute): reminders before a deadline and escalations to the 审核 group
  after it, and a review of every rating below 一般, once each (StaffAlert), e-mailed.
- return_visit_due (the ONCE schedule made at closing): the return call reminder.
- refresh_compliance (every 10 minutes, and on every change): the public monthly figures.
- purge (daily): unverified requests after a day, personal data after the retention period."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core import page_cache
from servicedesk import compliance, notifications, routing
from servicedesk.enums import (
    AlertKind,
    EventKind,
    RequestStatus,
    ResidentMessageKind,
    Satisfaction,
)
from servicedesk.models import (
    ComplianceFigure,
    RequestEvent,
    ResidentMessage,
    ServiceRequest,
    StaffAlert,
)
from sms import (
    InvalidNumberError,
    PermanentSmsError,
    TransientSmsError,
    get_backend,
    mask_numbers_in,
)

logger = logging.getLogger(__name__)

ESCALATIONS = frozenset({AlertKind.CONTACT_ESCALATION, AlertKind.RESOLVE_ESCALATION})
# Alerts that go to the supervisors (审核) as well as to the owner.
FOR_SUPERVISORS = ESCALATIONS | {AlertKind.DISSATISFIED}
CONTACT_ALERTS = frozenset({AlertKind.CONTACT_REMINDER, AlertKind.CONTACT_ESCALATION})
UNVERIFIED_LIFETIME = timedelta(days=1)
# Per kind and per run of the minute job; about 10 s of work on a slow machine.
MAX_ALERTS_PER_RUN = 500
# What a closed request forgets after the retention period: the resident's details and words,
# and the staff's written result (event notes too), which may repeat them.
PERSONAL_FIELDS = (
    "phone",
    "address",
    "account_number",
    "description",
    "resolution",
    "rating_comment",
)


# The resident's texts -----------------------------------------------------------------------


def notify_resident(request_id: int, kind: str) -> str:
    """Text the resident the receipt or the closing notice, once.

    The ResidentMessage row is claimed (committed) before the provider is called, so a second
    run meanwhile does nothing. A transient failure releases the claim and raises, and
    django-q2 runs the task again; when the provider may have accepted the call anyway (a
    timeout), the claim is kept and the retry, once the claim is stale, asks the provider
    whether it did before sending again. A permanent failure is recorded and not retried."""
    kind = ResidentMessageKind(kind)
    request = ServiceRequest.objects.select_related("station").filter(pk=request_id).first()
    if request is None or request.status == RequestStatus.UNVERIFIED:
        return "no request"
    if not request.phone:  # erased after the retention period
        return "no number"
    message, _created = ResidentMessage.objects.get_or_create(request=request, kind=kind)
    if message.sent_at or message.error:
        return "done"
    backend = get_backend()
    out_id = f"servicedesk-{message.pk}"
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)
    if (
        message.claimed_at
        and message.claimed_at < stale
        and backend.was_accepted(request.phone, out_id, timezone.localdate(message.claimed_at))
    ):
        ResidentMessage.objects.filter(pk=message.pk).update(sent_at=now)
        return "sent"
    unsent = ResidentMessage.objects.filter(pk=message.pk, sent_at=None, error="")
    if not unsent.filter(Q(claimed_at=None) | Q(claimed_at__lt=stale)).update(claimed_at=now):
        return "claimed by another worker"
    content = notifications.resident_text(request, kind)
    try:
        backend.send([request.phone], content, out_id=out_id)
    except TransientSmsError as exc:
        if not exc.maybe_accepted:
            unsent.filter(claimed_at=now).update(claimed_at=None)
        logger.warning("Text %s of request %s failed, will retry: %s", kind, request_id, exc)
        raise
    except (InvalidNumberError, PermanentSmsError) as exc:
        error = mask_numbers_in(str(exc))[:200] or type(exc).__name__
        ResidentMessage.objects.filter(pk=message.pk).update(error=error)
        logger.error("Text %s of request %s refused: %s", kind, request_id, error)
        return "failed"
    ResidentMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())
    return "sent"


# Staff alerts -------------------------------------------------------------------------------


def _due_alerts(now) -> dict[AlertKind, QuerySet]:
    """The requests due each alert now. A reminder is moot once its deadline has passed (the
    escalation takes over), a contact alert once the resident has been contacted; a rating
    below 一般 is reviewed once the request is closed."""
    open_requests = ServiceRequest.objects.open()
    return {
        AlertKind.CONTACT_REMINDER: open_requests.filter(
            contact_remind_at__lte=now, contact_due_at__gt=now, first_contact_at=None
        ),
        AlertKind.RESOLVE_REMINDER: open_requests.filter(
            resolve_remind_at__lte=now, resolve_due_at__gt=now
        ),
        AlertKind.CONTACT_ESCALATION: open_requests.filter(
            contact_due_at__lte=now, first_contact_at=None
        ),
        AlertKind.RESOLVE_ESCALATION: open_requests.filter(resolve_due_at__lte=now),
        AlertKind.DISSATISFIED: ServiceRequest.objects.filter(
            status=RequestStatus.CLOSED, rating__lte=Satisfaction.DISSATISFIED
        ),
    }


def check_deadlines() -> dict:
    """Every minute: raise the alerts that have fallen due (the SQL leaves out requests that
    already have them), then e-mail every alert not sent yet, including those a dead worker
    left behind. At most MAX_ALERTS_PER_RUN of each, oldest first, so a backlog (a mail
    server down for a day, the desk switched on over old requests) is worked off over a few
    minutes instead of outliving the task's timeout."""
    now = timezone.now()
    counts = {}
    for kind, requests in _due_alerts(now).items():
        already = StaffAlert.objects.filter(request=OuterRef("pk"), kind=kind)
        ids = list(
            requests.filter(~Exists(already))
            .order_by("pk")
            .values_list("pk", flat=True)[:MAX_ALERTS_PER_RUN]
        )
        counts[str(kind)] = sum(_raise_alert(pk, kind, now) for pk in ids)
    pending = list(
        StaffAlert.objects.filter(sent_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)[:MAX_ALERTS_PER_RUN]
    )
    counts["sent"] = sum(_deliver(pk) for pk in pending)
    return counts


def return_visit_due(request_id: int) -> str:
    """Run by the request's ONCE schedule (servicedesk.scheduling) inside the calling hours:
    remind its owner (else its station's staff) to call the resident back within 24 hours of
    closing, unless that has been done."""
    exists = ServiceRequest.objects.filter(
        pk=request_id, status=RequestStatus.CLOSED, return_visited_at=None
    ).exists()
    if not exists:
        return "not needed"
    _raise_alert(request_id, AlertKind.RETURN_VISIT, timezone.now())
    alert = StaffAlert.objects.get(request_id=request_id, kind=AlertKind.RETURN_VISIT)
    return "sent" if _deliver(alert.pk) else "done"


def _raise_alert(request_id: int, kind: AlertKind, now) -> bool:
    """The alert's row, its entry in the request's history and, for an escalation, the
    request's escalated_at: together and once (the unique row decides)."""
    with transaction.atomic():
        _alert, created = StaffAlert.objects.get_or_create(request_id=request_id, kind=kind)
        if not created:
            return False
        escalation = kind in ESCALATIONS
        RequestEvent.objects.create(
            request_id=request_id,
            kind=EventKind.ESCALATED if kind in FOR_SUPERVISORS else EventKind.REMINDED,
            at=now,
            note=str(AlertKind(kind).label),
        )
        if escalation:
            ServiceRequest.objects.filter(pk=request_id, escalated_at=None).update(
                escalated_at=now, updated_at=now
            )
    return True


def _still_due(kind: str, request: ServiceRequest) -> bool:
    """Sent late (a worker died), an alert may have become moot: nobody is told then."""
    if kind == AlertKind.RETURN_VISIT:
        return request.status == RequestStatus.CLOSED and request.return_visited_at is None
    if kind == AlertKind.DISSATISFIED:
        return True
    if kind in CONTACT_ALERTS and request.first_contact_at is not None:
        return False
    return request.is_open


def recipients(kind: str, request: ServiceRequest) -> list[str]:
    """The owner, or the station's staff while nobody owns the request; for an escalation the
    supervisors (审核) as well. Their addresses, each once; users without one are skipped."""
    owner = request.owner
    users = (
        [owner]
        if owner is not None and owner.is_active
        else list(routing.staff_of(request.station))
    )
    if kind in FOR_SUPERVISORS:
        users += list(routing.supervisors())
    return sorted({user.email for user in users if user.email})


def _deliver(alert_id: int) -> int:
    """E-mail one unsent alert and mark it sent, in one transaction holding its row: a second
    worker skips it, and a failure (mail server down) leaves it for the next minute."""
    try:
        with transaction.atomic():
            alert = (
                StaffAlert.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("request__station", "request__owner")
                .filter(pk=alert_id, sent_at=None)
                .first()
            )
            if alert is None:
                return 0
            request = alert.request
            addresses = recipients(alert.kind, request) if _still_due(alert.kind, request) else []
            if addresses:
                email = notifications.staff_email(request, alert.kind)
                get_connection().send_messages(
                    [EmailMessage(email.subject, email.body, to=[address]) for address in addresses]
                )
            alert.sent_at, alert.recipients = timezone.now(), len(addresses)
            alert.save(update_fields=["sent_at", "recipients"])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Staff alert %s not e-mailed, will retry: %s", alert_id, exc)
        return 0
    return 1


# Figures and retention ----------------------------------------------------------------------


def refresh_compliance(month: str | None = None) -> dict:
    """Recompute a month's public figures ("YYYY-MM"; by default the current and the previous
    month, Beijing time) and, when they changed, replace the month's rows and drop the cached
    compliance pages, CSV and feeds. Unchanged figures keep their rows and their time, so the
    feed's dates say when the figures last changed."""
    now = timezone.now()
    months = [compliance.parse_month(month)] if month else compliance.recent_months(now)
    changed = [f"{m:%Y-%m}" for m in months if _store_figures(m, now)]
    if changed:
        page_cache.invalidate(compliance.CACHE_TAG)
    return {"months": [f"{m:%Y-%m}" for m in months], "changed": changed}


def _store_figures(month, now) -> bool:
    figures = compliance.compute_month(month, now)
    with transaction.atomic():
        stored = ComplianceFigure.objects.filter(month=month)
        before = {figure.station_id: compliance.values(figure) for figure in stored}
        if before == {figure.station_id: compliance.values(figure) for figure in figures}:
            return False
        stored.delete()
        ComplianceFigure.objects.bulk_create(figures)
    return True


def purge() -> dict:
    """Daily retention: requests whose number was never proven go after a day; closed requests
    lose their personal data SERVICE_DESK_RETENTION_DAYS after closing (phone, address, account
    number, description, staff notes and result, the resident's comment), keeping what the
    figures count (times, station, rating)."""
    now = timezone.now()
    _total, deleted = ServiceRequest.objects.filter(
        status=RequestStatus.UNVERIFIED, created_at__lt=now - UNVERIFIED_LIFETIME
    ).delete()
    expired = ServiceRequest.objects.filter(
        status=RequestStatus.CLOSED,
        closed_at__lt=now - timedelta(days=settings.SERVICE_DESK_RETENTION_DAYS),
    )
    blank = dict.fromkeys(PERSONAL_FIELDS, "")
    with transaction.atomic():
        notes = RequestEvent.objects.filter(request__in=expired).exclude(note="").update(note="")
        erased = expired.exclude(**blank).update(**blank, updated_at=now)
    return {
        "unverified_deleted": deleted.get(ServiceRequest._meta.label, 0),
        "erased": erased,
        "notes_erased": notes,
    }
