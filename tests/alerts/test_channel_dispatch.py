"""Dispatch serves any registered channel with the same ledger: a channel registered here, in
the test, is written a message per event, reaches each recipient once, keeps at most its
`concurrency` calls in flight at its `rate`, and its errors do what their kind says; recovery
repeats an unconfirmed call within the provider's idempotency window and, after it, never sends
it again on a channel that must not send twice."""

import threading
import time
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import override_settings

from alerts import dispatch
from alerts.channels import registry
from alerts.channels.base import (
    Channel,
    Content,
    InvalidRecipientError,
    PermanentDeliveryError,
    RecipientGoneError,
    TransientDeliveryError,
)
from alerts.enums import DeliveryStatus
from alerts.models import Delivery, OutboundMessage, Subscriber
from alerts.outbox import queue
from contacts.models import Community
from tests.factories.alerts import make_message, make_subscriber
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


class Provider:
    """The far side of the test channel: records every call, can be slow or fail on demand."""

    def __init__(self, delay=0.0):
        self.delay = delay
        self.calls: list[tuple[tuple[str, ...], str]] = []
        self.failures: dict[str, Exception] = {}
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.started: list[float] = []

    def call(self, addresses, out_id):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.started.append(time.monotonic())
        try:
            time.sleep(self.delay)
            for address in addresses:
                if address in self.failures:
                    raise self.failures[address]
            with self.lock:
                self.calls.append((tuple(addresses), out_id))
            return f"id-{out_id}"
        finally:
            with self.lock:
                self.in_flight -= 1

    def reached(self) -> list[str]:
        return [address for addresses, _ in self.calls for address in addresses]


class PagerChannel(Channel):
    """A channel written for this test: one subscriber a call, four at once."""

    name = "pager"
    label = "寻呼"
    max_batch = 1
    concurrency = 4
    resend_unconfirmed = False
    idempotency_window = timedelta(minutes=10)
    gone: list[str] = []

    def audience(self, notice):
        return Subscriber.objects.filter(communities__in=notice.communities.all()).values(
            recipient_id=F("pk")
        )

    def addresses(self, recipient_ids):
        return dict(Subscriber.objects.filter(pk__in=recipient_ids).values_list("pk", "phone"))

    def render(self, notice, event, update=None):
        return Content(text=f"{event}:{notice.title}", params={"event": event})

    def send(self, addresses, content, *, out_id):
        return self.backend.call(addresses, out_id)

    def recipient_gone(self, addresses):
        PagerChannel.gone.extend(addresses)


@pytest.fixture
def pager(monkeypatch):
    monkeypatch.setitem(registry._channels, PagerChannel.name, PagerChannel)
    PagerChannel.gone = []
    return PagerChannel


@pytest.fixture
def xingyu():
    return Community.objects.get(code="LY-0001")


@pytest.fixture
def audience(xingyu):
    subscribers = [make_subscriber([xingyu]) for _ in range(12)]
    notice = make_notice(communities=[xingyu], ends_at=None)  # no on_commit: nothing sent
    return notice, [s.phone for s in subscribers]


def test_a_registered_channel_gets_a_message_per_event_without_touching_dispatch(pager, audience):
    notice, _ = audience
    messages = queue(notice, "published", "published")
    assert [m.channel for m in messages] == [c.name for c in registry.enabled()]
    assert "pager" in [m.channel for m in messages]
    queue(notice, "published", "published")  # a repeated signal
    assert OutboundMessage.objects.filter(notice=notice, channel="pager").count() == 1
    assert OutboundMessage.objects.get(notice=notice, channel="pager").text.startswith("published:")


def test_each_recipient_is_reached_once_with_calls_in_flight_bounded(pager, audience):
    notice, phones = audience
    message = make_message(notice, channel="pager")
    provider = Provider(delay=0.05)

    started = time.monotonic()
    dispatch.send_message(message.pk, backend=provider)
    elapsed = time.monotonic() - started
    dispatch.send_message(message.pk, backend=provider)  # the task, redelivered

    assert sorted(provider.reached()) == sorted(phones)
    assert provider.most_in_flight == 4
    assert elapsed < 12 * 0.05  # concurrent, not one after another
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["accepted"]) == (12, 12, 12)


def test_calls_are_paced_to_the_channel_rate(pager, audience, monkeypatch):
    notice, phones = audience
    monkeypatch.setattr(PagerChannel, "rate", 40)
    message = make_message(notice, channel="pager")
    provider = Provider()
    dispatch.send_message(message.pk, backend=provider)
    gaps = [b - a for a, b in zip(provider.started, provider.started[1:], strict=False)]
    assert sorted(provider.reached()) == sorted(phones)
    # Paced when submitted: a pool thread that starts its call late shortens the gap after it
    # (18.9 ms of 25 on a loaded machine), never to the nothing of calls left unpaced.
    assert min(gaps) >= 1 / 40 / 2
    assert provider.started[-1] - provider.started[0] >= 11 / 40 - 0.01


def test_errors_act_by_kind(pager, audience, clock):
    notice, phones = audience
    message = make_message(notice, channel="pager")
    provider = Provider()
    provider.failures = {
        phones[0]: RecipientGoneError("43004"),
        phones[1]: InvalidRecipientError("40003", addresses=[phones[1]]),
        phones[2]: TransientDeliveryError("45009"),
    }
    dispatch.send_message(message.pk, backend=provider)

    status = {
        Subscriber.objects.get(pk=d.recipient_id).phone: d
        for d in Delivery.objects.filter(message=message)
    }
    assert status[phones[0]].status == DeliveryStatus.FAILED and PagerChannel.gone == [phones[0]]
    assert status[phones[1]].status == DeliveryStatus.FAILED
    assert status[phones[2]].status == DeliveryStatus.PENDING
    assert status[phones[2]].next_attempt_at is not None
    assert sorted(provider.reached()) == sorted(phones[3:])

    provider.failures = {}
    clock.shift(31)
    dispatch.send_message(message.pk, backend=provider)
    assert sorted(provider.reached()) == sorted(phones[2:])


def test_a_configuration_error_stops_new_calls_and_records_those_in_flight(pager, audience):
    notice, phones = audience
    message = make_message(notice, channel="pager")
    provider = Provider(delay=0.02)
    provider.failures = {phones[0]: PermanentDeliveryError("40013 invalid appid")}
    dispatch.send_message(message.pk, backend=provider)
    counts = dispatch.report(message)
    assert counts["gave_up"] == 1
    assert counts["sending"] == 0  # every call made was recorded
    assert counts["sent"] <= 3  # at most the calls already in flight
    assert counts["pending"] == 12 - 1 - counts["sent"]


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_an_unconfirmed_call_is_repeated_within_the_window_with_its_own_id(pager, audience):
    notice, phones = audience
    message = make_message(notice, channel="pager")
    provider = Provider()
    dispatch.fan_out(message)
    claim = dispatch._claim(message, 1)
    dispatch._hand_over(claim)  # and the worker dies: did the provider take it?

    dispatch.send_message(message.pk, backend=provider)

    repeated = [
        out_id for addresses, out_id in provider.calls if addresses == tuple(claim.addresses)
    ]
    assert repeated == [claim.out_id]  # the provider drops it if it had the first
    assert sorted(provider.reached()) == sorted(phones)
    assert dispatch.report(message)["unconfirmed"] == 0


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_after_the_window_an_unconfirmed_call_is_not_sent_again(pager, audience, clock):
    notice, _ = audience
    message = make_message(notice, channel="pager")
    provider = Provider()
    dispatch.fan_out(message)
    claim = dispatch._claim(message, 1)
    dispatch._hand_over(claim)
    clock.shift(11 * 60)

    dispatch.send_message(message.pk, backend=provider)

    assert claim.addresses[0] not in provider.reached()
    assert len(provider.reached()) == 11
    delivery = Delivery.objects.get(pk=claim.ids[0])
    assert (delivery.status, delivery.unconfirmed) == (DeliveryStatus.UNCONFIRMED, 1)


def test_a_fan_out_longer_than_a_task_goes_on_in_a_new_task(pager, audience, monkeypatch):
    """django-q2 kills a task at its timeout: a long paced fan-out stops claiming in time, lets
    its calls in flight land, and the task queues its own continuation."""
    from alerts import tasks

    notice, phones = audience
    message = make_message(notice, channel="pager")
    provider = Provider(delay=0.01)
    monkeypatch.setattr(PagerChannel, "build_backend", lambda self: provider)
    monkeypatch.setattr(dispatch, "budget", lambda: 0.0)  # out of time after the first wave

    result = tasks.send_message(message.pk)  # tasks run inline in the tests: the chain runs

    assert result["unfinished"]
    assert sorted(provider.reached()) == sorted(phones)
    assert dispatch.report(message)["sent"] == 12
