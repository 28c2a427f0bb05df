"""A worker killed between handing a batch to the provider and recording the result: recovery
asks the backend whether it accepted the batch, with every backend (issue 15: the file backend
could not tell, and a whole batch was sent again unseen). And the report counts every
hand-over, so a number texted twice is never hidden behind "sent"."""

import io
import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from alerts import dispatch
from alerts.channels.sms import SmsChannel
from alerts.enums import DeliveryStatus
from alerts.models import Delivery, OutboundMessage, Subscriber
from contacts.models import Community
from sms import SmsContent
from sms.backends import journal
from sms.backends.console import ConsoleBackend
from sms.backends.file import FileBackend
from sms.backends.locmem import LocmemBackend
from tests.factories.alerts import make_message, make_subscriber
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SUBSCRIBERS = 8
BATCH = 2
CONTENT = SmsContent("", {}, "【春城热力】测试")


class Texted:
    """How many texts each number got from a backend, read from what the backend itself keeps:
    the outbox, the file's whole lines, the console's journal."""

    def __init__(self, kind: str, tmp_path, outbox):
        self.outbox = outbox
        self.path = tmp_path / f"{kind}.jsonl"
        if kind == "locmem":
            self.backend = LocmemBackend(max_batch=BATCH)
        elif kind == "file":
            self.backend = FileBackend(path=self.path, max_batch=BATCH)
        else:
            self.backend = ConsoleBackend(stream=io.StringIO(), journal=self.path, max_batch=BATCH)

    def count(self, phone: str) -> int:
        if isinstance(self.backend, LocmemBackend):
            return sum(numbers.count(phone) for numbers, *_ in self.outbox)
        key = journal.number_key(phone)
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        return sum(json.loads(line)["number_keys"].count(key) for line in lines)


@pytest.fixture(params=["locmem", "file", "console"])
def texted(request, tmp_path, outbox):
    return Texted(request.param, tmp_path, outbox)


@pytest.fixture
def audience():
    community = Community.objects.get(code="LY-0001")
    phones = [make_subscriber([community]).phone for _ in range(SUBSCRIBERS)]
    notice = make_notice(communities=[community], ends_at=None)  # no on_commit: nothing sent
    message = make_message(notice, text=CONTENT.text)
    dispatch.fan_out(message)
    return message, phones


def handed_over_then_killed(message, backend) -> list[str]:
    """A worker claims a batch, the backend accepts it, and the worker dies before recording
    that: the batch's numbers."""
    claim = dispatch._claim(message, BATCH)
    dispatch._hand_over(claim)
    backend.send(claim.addresses, CONTENT, out_id=claim.out_id)
    return claim.addresses


def handed_over_but_lost(message) -> list[str]:
    """A worker claims a batch, counts the hand-over, and the call never reaches the provider."""
    claim = dispatch._claim(message, BATCH)
    dispatch._hand_over(claim)
    return claim.addresses


def claimed_then_killed(message) -> list[str]:
    """A worker claims a batch and dies before handing it over."""
    return dispatch._claim(message, BATCH).addresses


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_batch_the_backend_accepted_is_settled_and_not_sent_again(audience, texted):
    message, phones = audience
    handed_over_then_killed(message, texted.backend)

    dispatch.send_message(message.pk, backend=texted.backend)  # the task, redelivered

    assert {phone: texted.count(phone) for phone in phones} == dict.fromkeys(phones, 1)
    report = dispatch.report(OutboundMessage.objects.get(pk=message.pk))
    assert (report["recipients"], report["sent"], report["handovers"]) == (8, 8, 8)
    assert (report["accepted"], report["duplicates"], report["possible_duplicates"]) == (8, 0, 0)


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_batch_the_backend_never_accepted_is_sent_again_and_counted(audience, texted):
    message, phones = audience
    lost = handed_over_but_lost(message)

    dispatch.send_message(message.pk, backend=texted.backend)

    assert {phone: texted.count(phone) for phone in phones} == dict.fromkeys(phones, 1)
    report = dispatch.report(message)
    # Two hand-overs for the batch that was lost: more hand-overs than numbers, in plain
    # sight, and no duplicate, since the provider accepted each number once.
    assert (report["recipients"], report["sent"], report["handovers"]) == (8, 8, 10)
    assert (report["accepted"], report["duplicates"], report["possible_duplicates"]) == (8, 0, 0)
    twice = Delivery.objects.filter(message=message, handovers=2).values("recipient_id")
    assert set(Subscriber.objects.filter(pk__in=twice).values_list("phone", flat=True)) == set(lost)


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_batch_claimed_but_never_handed_over_is_sent_again_without_asking(audience, outbox):
    """Nothing reached the provider: no question to it, one hand-over per number."""
    message, phones = audience
    asked = []

    class Watched(LocmemBackend):
        def was_accepted(self, number, out_id, sent_on):
            asked.append(out_id)
            return super().was_accepted(number, out_id, sent_on)

    claimed_then_killed(message)
    dispatch.send_message(message.pk, backend=Watched(max_batch=BATCH))

    assert sorted(number for numbers, *_ in outbox for number in numbers) == sorted(phones)
    assert asked == []
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["accepted"]) == (8, 8, 8)


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_mid_fan_out_crash_leaves_every_state_and_recovery_settles_each(audience, texted):
    """One batch recorded, one handed over but not recorded, one handed over and lost, one
    claimed but never handed over, the rest pending: each number texted once; hand-overs
    8 + 2 for the lost batch."""
    message, phones = audience
    first = dispatch._claim(message, BATCH)
    dispatch._send(first, CONTENT, SmsChannel(texted.backend))
    handed_over_then_killed(message, texted.backend)
    handed_over_but_lost(message)
    claimed_then_killed(message)

    dispatch.send_message(message.pk, backend=texted.backend)

    assert {phone: texted.count(phone) for phone in phones} == dict.fromkeys(phones, 1)
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["accepted"]) == (8, 10, 8)
    assert report["duplicates"] == report["possible_duplicates"] == 0


@override_settings(SMS_CLAIM_TIMEOUT=60)
def test_two_recoveries_at_once_settle_and_count_each_call_once(audience, texted):
    """A dead worker's task comes back while the minute schedule's recovers the same message:
    while one asks the backend about a call, the other finds it taken and leaves it alone. The
    acceptance is counted once, so the report shows no duplicate that never happened."""
    message, phones = audience
    accepted = handed_over_then_killed(message, texted.backend)
    Delivery.objects.filter(message=message).update(
        claimed_at=timezone.now() - timedelta(minutes=2)
    )
    other_settled = []

    class AskedWhileAnotherRecovers(SmsChannel):
        def was_accepted(self, address, out_id, sent_on):
            other_settled.append(dispatch.recover(message, SmsChannel(texted.backend)))
            return super().was_accepted(address, out_id, sent_on)

    assert dispatch.recover(message, AskedWhileAnotherRecovers(texted.backend)) == BATCH

    assert other_settled == [0]
    rows = Delivery.objects.filter(
        message=message, recipient_id__in=Subscriber.objects.filter(phone__in=accepted).values("pk")
    )
    assert sorted(rows.values_list("status", "handovers", "accepted")) == [("sent", 1, 1)] * BATCH
    dispatch.send_message(message.pk, backend=texted.backend)
    assert {phone: texted.count(phone) for phone in phones} == dict.fromkeys(phones, 1)
    assert dispatch.report(message)["duplicates"] == 0


class Unsure(LocmemBackend):
    """A backend whose record cannot be read just now."""

    def was_accepted(self, number, out_id, sent_on):
        return None


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_when_the_backend_cannot_tell_the_batch_is_sent_again_and_flagged(audience, outbox):
    message, phones = audience
    backend = Unsure(max_batch=BATCH)
    accepted_before = handed_over_then_killed(message, backend)

    dispatch.send_message(message.pk, backend=backend)

    # As before every backend could answer, a text late rather than none: sent again, so
    # those numbers really got two; the report says they may have.
    texts = [number for numbers, *_ in outbox for number in numbers]
    assert sorted(texts) == sorted(phones + accepted_before)
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["accepted"]) == (8, 10, 8)
    assert (report["duplicates"], report["possible_duplicates"]) == (0, 2)


def test_a_number_the_provider_accepted_twice_is_a_duplicate(audience, outbox):
    message, _ = audience
    twice = Delivery.objects.filter(message=message).order_by("pk")[:1]
    Delivery.objects.filter(pk__in=twice).update(
        status=DeliveryStatus.SENT, handovers=2, accepted=2
    )
    assert dispatch.report(message)["duplicates"] == 1


def test_the_admin_report_shows_hand_overs_against_numbers_and_flags_duplicates(
    client, moderator, audience
):
    message, _ = audience
    rows = Delivery.objects.filter(message=message).order_by("pk")
    Delivery.objects.filter(pk__in=rows[:2]).update(status="sent", handovers=2, accepted=1)
    Delivery.objects.filter(pk__in=rows[2:3]).update(status="sent", handovers=2, accepted=2)
    Delivery.objects.filter(pk__in=rows[3:4]).update(
        status="sent", handovers=2, accepted=1, unconfirmed=1
    )
    Delivery.objects.filter(pk__in=rows[4:]).update(status="sent", handovers=1, accepted=1)
    client.force_login(moderator)
    page = client.get(f"/admin/alerts/notices/{message.notice_id}/deliveries/").content.decode()
    cells = page.split("<caption>")[1].split("</tbody>")[0]
    # 收件人数 8, 已发送 8, 发送次数 12 (含重试), 重复 1 and 1 possible.
    assert "<td>8</td>" in cells and "<td>12<br><small>含重试</small></td>" in cells
    assert '<strong class="delivery-duplicates">1</strong>' in cells and "另1个可能重复" in cells
    assert "的短信有1个收件人被服务商受理了不止一次，收到了重复消息" in page
    assert "的短信有1个收件人可能收到了重复消息" in page


def test_the_task_of_a_message_due_now_sends_it_on_a_clock_slightly_behind(audience, outbox):
    """The machine that created the message may be a little ahead of the worker's clock."""
    message, phones = audience
    OutboundMessage.objects.filter(pk=message.pk).update(
        not_before=timezone.now() + timedelta(seconds=2)
    )
    dispatch.send_message(message.pk)
    assert len([number for numbers, *_ in outbox for number in numbers]) == len(phones)
