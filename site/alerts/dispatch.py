"""Sending an OutboundMessage to its subscribers, exactly once each, whatever crashes.

1. Fan-out: one Delivery row per matching subscriber, bulk-inserted in chunks with the unique
   (message, subscriber) constraint ignoring rows that exist, so running it again adds nothing.
2. Send: claim up to `max_batch` pending rows (status → sending, a fresh out_id, committed
   before the provider is called), call the provider once for the batch, record the result.
   Transient failures go back to pending with a backoff; an invalid number fails alone (the
   batch is split until the bad number is isolated; the others are sent); a configuration
   error gives up at once.
3. Recover: rows left "sending" by a worker that died are settled by asking the provider whether
   it accepted the call tagged with their out_id (every backend answers, `was_accepted`); only
   those it did not accept are sent again.

Every hand-over is counted on the row (`handovers`, with the claim, before the call) and every
acceptance (`accepted`), so the report (`report`) shows a number texted twice instead of
counting it once as "sent"."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from alerts.enums import DeliveryStatus, MessageStatus, SubscriberStatus
from alerts.models import Delivery, OutboundMessage, Subscriber
from sms import (
    BaseSmsBackend,
    InvalidNumberError,
    PermanentSmsError,
    SmsContent,
    TransientSmsError,
    get_backend,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF = (30, 120, 600, 1800, 3600)  # seconds before attempts 2, 3, 4, 5, 6
# How far a worker's clock may trail the machine that created a message: the task queued for a
# message due now must not find it due in the future and leave it to the minute schedule.
CLOCK_SKEW = timedelta(seconds=5)


def matching_subscribers(message: OutboundMessage):
    """Active subscribers following the notice's utility and one of its communities (or no
    community at all: they asked for the whole city)."""
    notice = message.notice
    communities = notice.communities.values("pk")
    return (
        Subscriber.objects.filter(
            status=SubscriberStatus.ACTIVE, followed_utilities__utility=notice.utility
        )
        .filter(Q(communities__in=communities) | Q(communities__isnull=True))
        .values(subscriber_id=F("pk"))
        .distinct()
    )


def fan_out(message: OutboundMessage) -> int:
    """Create the missing Delivery rows in one INSERT ... SELECT: no subscriber passes through
    Python, so time and memory stay flat in the number of subscribers, and ON CONFLICT DO
    NOTHING (SQLite and PostgreSQL) makes a second run add nothing."""
    subscribers_sql, params = matching_subscribers(message).query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
        cursor.execute(
            f"INSERT INTO {table} (message_id, subscriber_id, status, attempts, handovers, accepted,"  # noqa: S608
            " unconfirmed, out_id, provider_id, last_error, updated_at)"
            f" SELECT %s, matching.subscriber_id, %s, 0, 0, 0, 0, '', '', '', %s FROM ({subscribers_sql}) AS matching"
            " WHERE 1 = 1 ON CONFLICT DO NOTHING",
            [message.pk, DeliveryStatus.PENDING, now, *params],
        )
        created = cursor.rowcount
    OutboundMessage.objects.filter(pk=message.pk, fanned_out_at=None).update(fanned_out_at=now)
    return created


def send_message(message_id: int, backend: BaseSmsBackend | None = None) -> dict:
    """Fan out (if not done) and send everything due. Safe to run twice or concurrently."""
    message = OutboundMessage.objects.select_related("notice").get(pk=message_id)
    now = timezone.now()
    if message.not_before > now + CLOCK_SKEW:
        return report(message)
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    backend = backend or get_backend()
    if message.fanned_out_at is None:
        fan_out(message)
    recover(message, backend)
    content = SmsContent(
        template_code=message.template_code, params=message.params, text=message.text
    )
    while batch := _claim(message, backend.max_batch):
        if not _send(batch, content, backend):
            break
    _finish_if_done(message)
    return report(message)


def _claim(message: OutboundMessage, size: int) -> list[tuple[int, str]]:
    """Take up to `size` due pending rows for this worker; committed before any provider call.
    skip_locked keeps two clusters on PostgreSQL from claiming the same rows; on SQLite the
    IMMEDIATE transaction serialises claims."""
    now = timezone.now()
    out_id = uuid.uuid4().hex
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(message=message, status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
            .values_list("pk", "subscriber__phone")[:size]
        )
        if rows:
            Delivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                status=DeliveryStatus.SENDING,
                out_id=out_id,
                claimed_at=now,
                attempts=F("attempts") + 1,
                handovers=F("handovers") + 1,
            )
    return rows


def _send(batch: list[tuple[int, str]], content: SmsContent, backend: BaseSmsBackend) -> bool:
    """One provider call for a claimed batch; False when sending must stop (configuration)."""
    ids = [pk for pk, _ in batch]
    out_id = Delivery.objects.filter(pk=ids[0]).values_list("out_id", flat=True).get()
    try:
        provider_id = backend.send([phone for _, phone in batch], content, out_id=out_id)
    except TransientSmsError as exc:
        if exc.maybe_accepted:
            # The provider may have taken the call: leave the rows claimed; recover() asks it
            # (was_accepted) once the claim is stale, and resends only if it did not.
            Delivery.objects.filter(pk__in=ids).update(last_error=str(exc)[:200])
            return True
        _retry_later(ids, str(exc))
        return True
    except InvalidNumberError as exc:
        _isolate_invalid(batch, content, backend, exc.numbers)
        return True
    except PermanentSmsError as exc:
        logger.error("SMS provider refused the configuration: %s", exc)
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.GAVE_UP, last_error=str(exc)[:200]
        )
        return False
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENT,
        provider_id=provider_id[:64],
        last_error="",
        accepted=F("accepted") + 1,
    )
    return True


def _isolate_invalid(batch, content, backend, known_bad: frozenset[str]) -> None:
    """Fail the invalid numbers alone and send the others: by the provider's word when it
    names them, else by splitting the batch in halves until the bad number is alone."""
    if known_bad or len(batch) == 1:
        bad = [pk for pk, phone in batch if phone in known_bad or len(batch) == 1]
        Delivery.objects.filter(pk__in=bad).update(
            status=DeliveryStatus.FAILED, last_error="invalid number"
        )
        rest = [(pk, phone) for pk, phone in batch if pk not in bad]
        if rest:
            _resend(rest, content, backend)
        return
    middle = len(batch) // 2
    for half in (batch[:middle], batch[middle:]):
        _resend(half, content, backend)


def _resend(rows, content, backend) -> None:
    """Send part of a claimed batch again, under its own out_id (a new provider call)."""
    Delivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        out_id=uuid.uuid4().hex, handovers=F("handovers") + 1
    )
    _send(rows, content, backend)


def _retry_later(ids: list[int], error: str) -> None:
    now = timezone.now()
    for attempts, pks in _group_by_attempts(ids).items():
        if attempts >= MAX_ATTEMPTS:
            Delivery.objects.filter(pk__in=pks).update(
                status=DeliveryStatus.GAVE_UP, last_error=error[:200]
            )
            continue
        delay = BACKOFF[min(attempts, len(BACKOFF)) - 1]
        Delivery.objects.filter(pk__in=pks).update(
            status=DeliveryStatus.PENDING,
            last_error=error[:200],
            next_attempt_at=now + timedelta(seconds=delay),
        )


def _group_by_attempts(ids: list[int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for pk, attempts in Delivery.objects.filter(pk__in=ids).values_list("pk", "attempts"):
        groups.setdefault(attempts, []).append(pk)
    return groups


def recover(message: OutboundMessage, backend: BaseSmsBackend) -> int:
    """Settle rows a dead worker left "sending", one question to the provider per call (its
    out_id): sent if the provider accepted the call, pending again if it did not. When it
    cannot tell (None: its record could not be read just then), the rows are pending again
    too, as before every backend could answer: a message late is better than one lost; the
    call is counted `unconfirmed`, so the report shows the number as possibly texted twice."""
    stale = timezone.now() - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)
    stuck = (
        Delivery.objects.filter(
            message=message, status=DeliveryStatus.SENDING, claimed_at__lt=stale
        )
        .values_list("out_id", "claimed_at", "subscriber__phone")
        .order_by("out_id")
    )
    settled = 0
    seen: set[str] = set()
    for out_id, claimed_at, phone in stuck:
        if out_id in seen:
            continue
        seen.add(out_id)
        accepted = backend.was_accepted(phone, out_id, timezone.localdate(claimed_at))
        rows = Delivery.objects.filter(
            message=message, status=DeliveryStatus.SENDING, out_id=out_id
        )
        if accepted:
            settled += rows.update(status=DeliveryStatus.SENT, accepted=F("accepted") + 1)
        elif accepted is None:
            settled += rows.update(
                status=DeliveryStatus.PENDING,
                next_attempt_at=None,
                unconfirmed=F("unconfirmed") + 1,
            )
        else:
            settled += rows.update(status=DeliveryStatus.PENDING, next_attempt_at=None)
    return settled


def _finish_if_done(message: OutboundMessage) -> None:
    open_rows = Delivery.objects.filter(
        message=message, status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)
    )
    if not open_rows.exists():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.DONE, finished_at=timezone.now()
        )


def report(message: OutboundMessage) -> dict:
    """Rows per status, and what the provider was given: `recipients` (one row each),
    `handovers` (every provider call counted once per number it carried), `accepted` (those
    the provider accepted), `duplicates` (numbers it accepted more than once: texted twice)
    and `possible_duplicates` (numbers that may have been: a call the provider could not
    confirm or deny, then another)."""
    rows = Delivery.objects.filter(message=message)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    totals = rows.aggregate(
        recipients=Count("pk"),
        handed_over=Coalesce(Sum("handovers"), 0),
        accepted_calls=Coalesce(Sum("accepted"), 0),
        duplicates=Count("pk", filter=Q(accepted__gte=2)),
        possible_duplicates=Count(
            "pk", filter=Q(accepted__lt=2) & Q(accepted__gte=2 - F("unconfirmed"))
        ),
    )
    return {
        **{status: counts.get(status, 0) for status in DeliveryStatus.values},
        "recipients": totals["recipients"],
        "handovers": totals["handed_over"],  # (aliases may not shadow the fields they sum)
        "accepted": totals["accepted_calls"],
        "duplicates": totals["duplicates"],
        "possible_duplicates": totals["possible_duplicates"],
    }


def retry_failed(message: OutboundMessage) -> int:
    """Staff asked to try the failed and given-up numbers again."""
    return Delivery.objects.filter(
        message=message, status__in=(DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP)
    ).update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, last_error="")
