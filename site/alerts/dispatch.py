"""Sending an OutboundMessage on its channel to its recipients, exactly once each, whatever
crashes. The same protocol serves every channel (`alerts.channels`):

1. Fan-out: one Delivery row per recipient of the channel's audience, inserted in one
   INSERT ... SELECT with the unique (message, recipient) constraint ignoring rows that exist,
   so running it again adds nothing.
2. Send: claim up to the channel's `max_batch` pending rows under a fresh out_id (status →
   sending, committed), stamp them handed over (committed) just before the provider call, make
   the call, record the result. Channels that take one recipient a call keep up to
   `concurrency` calls in flight, paced to `rate`; only the calls run in the pool's threads,
   every write stays in the task's own thread and transaction. Transient failures go back to
   pending with a backoff; an invalid recipient fails alone (the batch is split until it is
   isolated); a recipient who left fails and the channel ends the subscription; a
   configuration error stops the message.
3. Recover: rows left "sending" by a worker that died are settled: never handed over → pending
   again; handed over → the channel is asked whether the provider took the call tagged with
   their out_id (`was_accepted`); only those it did not take are sent again, and those it
   cannot tell about are sent again or not as the channel chooses (`resend_unconfirmed`).

Every hand-over is counted on the row (`handovers`) and every acceptance (`accepted`), so the
report (`report`) shows a recipient reached twice instead of counting it once as "sent"."""

import logging
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from alerts.channels import registry
from alerts.channels.base import (
    Channel,
    Content,
    DeliveryError,
    InvalidRecipientError,
    PermanentDeliveryError,
    RecipientGoneError,
    TransientDeliveryError,
)
from alerts.enums import DeliveryStatus, MessageStatus
from alerts.models import Delivery, OutboundMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF = (30, 120, 600, 1800, 3600)  # seconds before attempts 2, 3, 4, 5, 6
# How far a worker's clock may trail the machine that created a message: the task queued for a
# message due now must not find it due in the future and leave it to the minute schedule.
CLOCK_SKEW = timedelta(seconds=5)
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# A recipient deleted or unsubscribed between the fan-out and its call.
RECIPIENT_GONE = "收件人已退订或已删除"


@dataclass(frozen=True)
class Claim:
    """Rows claimed for one provider call: their out_id and (delivery pk, address) pairs."""

    out_id: str
    rows: list[tuple[int, str]]

    @property
    def ids(self) -> list[int]:
        return [pk for pk, _ in self.rows]

    @property
    def addresses(self) -> list[str]:
        return [address for _, address in self.rows]


def channel_of(message: OutboundMessage, backend=None) -> Channel:
    return registry.get(message.channel)(backend=backend)


def content_of(message: OutboundMessage) -> Content:
    return Content(
        text=message.text,
        template_code=message.template_code,
        params=message.params,
        link=message.link,
    )


def fan_out(message: OutboundMessage, channel: Channel | None = None) -> int:
    """Create the missing Delivery rows in one INSERT ... SELECT: no recipient passes through
    Python, so time and memory stay flat in the number of recipients, and ON CONFLICT DO
    NOTHING (SQLite and PostgreSQL) makes a second run add nothing."""
    channel = channel or channel_of(message)
    audience_sql, params = channel.audience(message.notice).query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
        cursor.execute(
            f"INSERT INTO {table} (message_id, recipient_id, status, attempts, handovers, accepted,"  # noqa: S608
            " unconfirmed, out_id, provider_id, last_error, updated_at)"
            f" SELECT %s, audience.recipient_id, %s, 0, 0, 0, 0, '', '', '', %s FROM ({audience_sql}) AS audience"
            " WHERE 1 = 1 ON CONFLICT DO NOTHING",
            [message.pk, DeliveryStatus.PENDING, now, *params],
        )
        created = cursor.rowcount
    OutboundMessage.objects.filter(pk=message.pk, fanned_out_at=None).update(fanned_out_at=now)
    return created


def send_message(message_id: int, backend=None) -> dict:
    """Fan out (if not done) and send everything due. Safe to run twice or concurrently.
    `backend`: the channel's provider client, when not the configured one."""
    message = OutboundMessage.objects.select_related("notice").get(pk=message_id)
    if message.not_before > timezone.now() + CLOCK_SKEW:
        return report(message)
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    channel = channel_of(message, backend)
    if message.fanned_out_at is None:
        fan_out(message, channel)
    recover(message, channel)
    finished = _send_due(message, channel, content_of(message), time.monotonic() + budget())
    _finish_if_done(message)
    return {**report(message), "unfinished": not finished}


def budget() -> float:
    """Seconds one send task may spend making calls: well inside django-q2's task timeout, so a
    long paced fan-out (100,000 followers at 20 a second) is never killed midway but ends its
    calls in flight and queues its own continuation (alerts.tasks.send_message)."""
    return settings.Q_CLUSTER["timeout"] * 0.6


class Pacer:
    """Starts at most `rate` calls a second (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate else 0
        self.next_start = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_start > now:
            time.sleep(self.next_start - now)
        self.next_start = max(now, self.next_start) + self.interval


def _send_due(
    message: OutboundMessage, channel: Channel, content: Content, deadline: float
) -> bool:
    """Claim, hand over and settle until nothing is due, with up to `channel.concurrency`
    provider calls in flight; stops at a configuration error, and stops claiming at `deadline`
    (time.monotonic()). False when it stopped at the deadline with work left."""
    pacer = Pacer(channel.rate)
    in_flight: dict = {}
    stopped = exhausted = out_of_time = False
    with ThreadPoolExecutor(max_workers=channel.concurrency) as pool:
        while True:
            while (
                not (stopped or exhausted or out_of_time) and len(in_flight) < channel.concurrency
            ):
                claim = _claim(message, channel.max_batch, channel)
                if claim is None:
                    exhausted = True
                    break
                pacer.wait()
                _hand_over(claim)
                in_flight[pool.submit(_call, channel, claim, content)] = claim
            if not in_flight:
                return not (out_of_time and not exhausted and not stopped)
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                if not _settle(in_flight.pop(future), future.result(), content, channel):
                    stopped = True  # no new calls; those in flight are still recorded
            # Checked after a wave, so that every task makes progress.
            out_of_time = time.monotonic() > deadline


def _claim(message: OutboundMessage, size: int, channel: Channel | None = None) -> Claim | None:
    """Take up to `size` due pending rows for one call; committed before any provider call.
    skip_locked keeps two clusters on PostgreSQL from claiming the same rows; on SQLite the
    IMMEDIATE transaction serialises claims. A recipient gone since the fan-out fails here."""
    channel = channel or channel_of(message)
    while True:
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(message=message, status=DeliveryStatus.PENDING)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("pk")
                .values_list("pk", "recipient_id")[:size]
            )
            if not rows:
                return None
            addresses = channel.addresses([recipient for _, recipient in rows])
            claim = Claim(
                uuid.uuid4().hex,
                [(pk, addresses[recipient]) for pk, recipient in rows if recipient in addresses],
            )
            Delivery.objects.filter(pk__in=[pk for pk, _ in rows]).exclude(pk__in=claim.ids).update(
                status=DeliveryStatus.FAILED, last_error=RECIPIENT_GONE
            )
            Delivery.objects.filter(pk__in=claim.ids).update(
                status=DeliveryStatus.SENDING,
                out_id=claim.out_id,
                claimed_at=now,
                handed_over_at=None,
                attempts=F("attempts") + 1,
            )
        if claim.rows:
            return claim


def _hand_over(claim: Claim) -> None:
    """Counted and stamped before the call, committed: a worker killed after the call cannot
    hide it, and recovery knows which claimed rows never reached the provider."""
    Delivery.objects.filter(pk__in=claim.ids).update(
        handovers=F("handovers") + 1, handed_over_at=timezone.now()
    )


def _call(channel: Channel, claim: Claim, content: Content):
    """The provider call (in a pool thread: no database here). The provider's id or the error."""
    try:
        return channel.send(claim.addresses, content, out_id=claim.out_id)
    except DeliveryError as exc:
        return exc


def _send(claim: Claim, content: Content, channel: Channel) -> bool:
    """Hand over, call and settle one claim in this thread."""
    _hand_over(claim)
    return _settle(claim, _call(channel, claim, content), content, channel)


def _settle(claim: Claim, result, content: Content, channel: Channel) -> bool:
    """Record a call's outcome; False when sending must stop (configuration)."""
    ids = claim.ids
    match result:
        case str() as provider_id:
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.SENT,
                provider_id=provider_id[:64],
                last_error="",
                accepted=F("accepted") + 1,
            )
        case TransientDeliveryError(maybe_accepted=True):
            # The provider may have taken the call: leave the rows claimed; recover() asks it
            # (was_accepted) once the claim is stale, and resends only if it did not.
            Delivery.objects.filter(pk__in=ids).update(last_error=str(result)[:200])
        case TransientDeliveryError():
            _retry_later(ids, str(result))
        case InvalidRecipientError():
            _isolate_invalid(claim, content, channel, result.addresses)
        case RecipientGoneError():
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.FAILED, last_error=str(result)[:200]
            )
            channel.recipient_gone(claim.addresses)
        case PermanentDeliveryError():
            logger.error("%s provider refused the configuration: %s", channel.name, result)
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.GAVE_UP, last_error=str(result)[:200]
            )
            return False
    return True


def _isolate_invalid(claim: Claim, content, channel, known_bad: frozenset[str]) -> None:
    """Fail the invalid recipients alone and send the others: by the provider's word when it
    names them, else by splitting the batch in halves until the bad recipient is alone."""
    rows = claim.rows
    if known_bad or len(rows) == 1:
        bad = [pk for pk, address in rows if address in known_bad or len(rows) == 1]
        Delivery.objects.filter(pk__in=bad).update(
            status=DeliveryStatus.FAILED, last_error="invalid number"
        )
        rest = [(pk, address) for pk, address in rows if pk not in bad]
        if rest:
            _resend(rest, content, channel)
        return
    middle = len(rows) // 2
    for half in (rows[:middle], rows[middle:]):
        _resend(half, content, channel)


def _resend(rows, content, channel) -> None:
    """Send part of a claimed batch again, under its own out_id (a new provider call)."""
    claim = Claim(uuid.uuid4().hex, rows)
    Delivery.objects.filter(pk__in=claim.ids).update(out_id=claim.out_id)
    _send(claim, content, channel)


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


def recover(message: OutboundMessage, channel: Channel | None = None) -> int:
    """Settle rows a dead worker left "sending". Never handed over: pending again, no question
    asked. Handed over: one question to the channel per call (its out_id): sent if the provider
    took it, pending again if it did not. When it cannot tell (None): within the provider's
    idempotency window the call is repeated as it was (same out_id: the provider drops it if
    it had taken the first); after it, the call is counted `unconfirmed` and the rows are sent
    again (a late message beats a lost one) or, on a channel that must never send twice,
    settled as unconfirmed."""
    channel = channel or channel_of(message)
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)
    stuck = Delivery.objects.filter(
        message=message, status=DeliveryStatus.SENDING, claimed_at__lt=stale
    )
    settled = stuck.filter(handed_over_at=None).update(
        status=DeliveryStatus.PENDING, next_attempt_at=None
    )
    calls: dict[str, list] = {}
    for pk, out_id, handed_over_at, recipient_id in stuck.exclude(handed_over_at=None).values_list(
        "pk", "out_id", "handed_over_at", "recipient_id"
    ):
        calls.setdefault(out_id, []).append((pk, handed_over_at, recipient_id))
    for out_id, rows in calls.items():
        taken = set(_take_stuck(stuck, [pk for pk, _, _ in rows], now))
        rows = [row for row in rows if row[0] in taken]
        if not rows:
            continue  # another recovery settles this call
        addresses = channel.addresses([recipient_id for _, _, recipient_id in rows])
        handed_over_at = rows[0][1]
        address = next(iter(addresses.values()), None)
        accepted = (
            channel.was_accepted(address, out_id, timezone.localdate(handed_over_at))
            if address
            else None
        )
        pks = [pk for pk, _, _ in rows]
        settled += len(pks)
        if accepted:
            Delivery.objects.filter(pk__in=pks).update(
                status=DeliveryStatus.SENT, accepted=F("accepted") + 1
            )
        elif accepted is False:
            Delivery.objects.filter(pk__in=pks).update(
                status=DeliveryStatus.PENDING, next_attempt_at=None
            )
        elif channel.idempotency_window and handed_over_at > now - channel.idempotency_window:
            claim = Claim(out_id, [(pk, addresses[r]) for pk, _, r in rows if r in addresses])
            Delivery.objects.filter(pk__in=pks).exclude(pk__in=claim.ids).update(
                status=DeliveryStatus.FAILED, last_error=RECIPIENT_GONE
            )
            if claim.rows:
                _send(claim, content_of(message), channel)
        else:
            Delivery.objects.filter(pk__in=pks).update(
                status=DeliveryStatus.PENDING
                if channel.resend_unconfirmed
                else DeliveryStatus.UNCONFIRMED,
                next_attempt_at=None,
                unconfirmed=F("unconfirmed") + 1,
            )
    return settled


def _take_stuck(stuck, pks: list[int], now) -> list[int]:
    """The rows of `pks` still stuck, claimed for this recovery (claimed_at = now, no longer
    stale) and committed before the provider is asked about them. Two recoveries of one message
    run at once when a dead worker's task comes back beside the minute schedule's: each call is
    then settled, and its acceptance counted, by one of them alone."""
    with transaction.atomic():
        taken = list(
            stuck.select_for_update(skip_locked=True)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=taken).update(claimed_at=now)
    return taken


def _finish_if_done(message: OutboundMessage) -> None:
    if not Delivery.objects.filter(message=message, status__in=OPEN).exists():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.DONE, finished_at=timezone.now()
        )


def report(message: OutboundMessage) -> dict:
    """Rows per status, and what the provider was given: `recipients` (one row each),
    `handovers` (every provider call counted once per recipient it carried), `accepted` (those
    the provider accepted), `duplicates` (recipients it accepted more than once: reached twice)
    and `possible_duplicates` (recipients that may have been: a call the provider could not
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
    """Staff asked to try the failed and given-up recipients again."""
    return Delivery.objects.filter(
        message=message, status__in=(DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP)
    ).update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, last_error="")
