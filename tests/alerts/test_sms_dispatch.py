"""Major outages go to SMS subscribers exactly once, whatever runs twice or crashes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from alerts import dispatch
from alerts.channels.sms import SmsChannel
from alerts.enums import DeliveryStatus, MessageStatus, SubscriberStatus
from alerts.models import Delivery, OutboundMessage, Subscriber
from alerts.tasks import dispatch_due
from contacts.models import Community
from notices.enums import Utility
from notices.lifecycle.transitions import record_update
from notices.models import OutageNoticePage
from sms import InvalidNumberError, PermanentSmsError, SmsContent, TransientSmsError
from sms.backends import locmem
from tests.factories.alerts import make_message, make_subscriber
from tests.factories.notices import make_notice
from tests.factories.pages import go_live_by_schedule

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def xingyu():
    return Community.objects.get(code="LY-0001")


def texted(outbox) -> list[str]:
    return [number for batch, *_ in outbox for number in batch]


def publish_major(django_capture_on_commit_callbacks, community, **fields):
    start = timezone.now() + timedelta(days=2)
    defaults = {"kind": "emergency", "starts_at": start, "ends_at": start + timedelta(hours=12)}
    with django_capture_on_commit_callbacks(execute=True):
        return make_notice(communities=[community], **{**defaults, **fields})


def test_publishing_a_major_outage_texts_each_matching_subscriber_once(
    django_capture_on_commit_callbacks, outbox, xingyu
):
    follower = make_subscriber([xingyu])
    citywide = make_subscriber([])
    elsewhere = make_subscriber([Community.objects.get(code="KC-0001")])
    not_water = make_subscriber([xingyu], utilities=[Utility.HEAT, Utility.GAS, Utility.POWER])
    unverified = make_subscriber([xingyu], status=SubscriberStatus.PENDING)
    left = make_subscriber([xingyu], status=SubscriberStatus.UNSUBSCRIBED)

    notice = publish_major(django_capture_on_commit_callbacks, xingyu)

    assert sorted(texted(outbox)) == sorted([follower.phone, citywide.phone])
    for someone in (elsewhere, not_water, unverified, left):
        assert someone.phone not in texted(outbox)
    [(_, content, _, _)] = outbox
    assert content.text.startswith("【春城热力】停水通知：测试泵站，")
    assert "请提前储水。" in content.text
    message = OutboundMessage.objects.get(notice=notice)
    assert message.status == MessageStatus.DONE
    assert dispatch.report(message)["sent"] == 2


def test_minor_outages_and_drafts_send_nothing(django_capture_on_commit_callbacks, outbox, xingyu):
    make_subscriber([xingyu])
    start = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        minor = make_notice(
            communities=[xingyu], starts_at=start, ends_at=start + timedelta(hours=7, minutes=59)
        )
        draft = make_notice(communities=[xingyu], publish=False, ends_at=None)
    assert outbox == []
    assert not OutboundMessage.objects.filter(notice__in=[minor, draft]).exists()


def test_a_scheduled_draft_sends_nothing_until_it_goes_live(
    django_capture_on_commit_callbacks, outbox, xingyu, clock
):
    clock("2026-12-04T10:00")  # a planned outage: outside quiet hours it is texted at once
    make_subscriber([xingyu])
    notice = make_notice(communities=[xingyu], publish=False, ends_at=None)
    notice.go_live_at = timezone.now() + timedelta(hours=1)  # as the editor's schedule sets it
    with django_capture_on_commit_callbacks(execute=True):
        notice.save_revision().publish()
    assert not OutageNoticePage.objects.get(pk=notice.pk).live
    assert outbox == [] and not OutboundMessage.objects.filter(notice=notice).exists()

    go_live_by_schedule(notice, django_capture_on_commit_callbacks)
    assert OutageNoticePage.objects.get(pk=notice.pk).live
    assert len(outbox) == 1


def test_running_twice_sends_nothing_twice(django_capture_on_commit_callbacks, outbox, xingyu):
    subscribers = [make_subscriber([xingyu]) for _ in range(5)]
    notice = publish_major(django_capture_on_commit_callbacks, xingyu)
    message = OutboundMessage.objects.get(notice=notice)
    dispatch.fan_out(message)
    dispatch.send_message(message.pk)
    dispatch_due()
    assert sorted(texted(outbox)) == sorted(s.phone for s in subscribers)
    assert Delivery.objects.filter(message=message).count() == 5


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_worker_that_died_mid_fan_out_is_recovered_without_loss_or_duplicate(outbox, xingyu):
    subscribers = [make_subscriber([xingyu]) for _ in range(6)]
    notice = make_notice(communities=[xingyu], ends_at=None)  # no on_commit: nothing sent yet
    message = make_message(notice, text="【春城热力】测试")
    dispatch.fan_out(message)
    backend = locmem.LocmemBackend(max_batch=2)
    # Worker 1 claims two batches: it sent the first (the provider accepted it) and died before
    # recording that; it died before calling the provider for the second.
    first = dispatch._claim(message, 2)
    dispatch._hand_over(first)
    backend.send(first.addresses, SmsContent("", {}, "t"), out_id=first.out_id)
    second = dispatch._claim(message, 2)
    assert Delivery.objects.filter(message=message, status=DeliveryStatus.SENDING).count() == 4

    # The task is redelivered to another worker.
    dispatch.send_message(message.pk, backend=backend)

    assert sorted(texted(outbox)) == sorted(s.phone for s in subscribers)  # each exactly once
    assert dispatch.report(OutboundMessage.objects.get(pk=message.pk))["sent"] == 6
    assert set(second.addresses) <= set(texted(outbox))


def test_transient_failures_are_retried_with_backoff(outbox, xingyu):
    make_subscriber([xingyu])
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = make_message(notice)
    locmem.fail_next(TransientSmsError("503"))
    dispatch.send_message(message.pk)
    delivery = Delivery.objects.get(message=message)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    dispatch.send_message(message.pk)  # not yet due
    assert outbox == []
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    dispatch_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(outbox) == 1


def test_invalid_numbers_fail_alone_and_configuration_errors_stop(outbox, xingyu):
    good = [make_subscriber([xingyu]) for _ in range(6)]
    bad = make_subscriber([xingyu])
    locmem.invalid_numbers.add(bad.phone)
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = make_message(notice)
    dispatch.send_message(message.pk)
    phones = dict(Subscriber.objects.values_list("pk", "phone"))
    statuses = {
        phones[recipient]: status
        for recipient, status in Delivery.objects.filter(message=message).values_list(
            "recipient_id", "status"
        )
    }
    assert statuses.pop(bad.phone) == DeliveryStatus.FAILED
    assert set(statuses.values()) == {DeliveryStatus.SENT}
    assert sorted(texted(outbox)) == sorted(s.phone for s in good)

    other = make_message(notice, event="extended", event_key="update-x")
    locmem.fail_next(PermanentSmsError("SignatureDoesNotMatch"))
    dispatch.send_message(other.pk)
    assert set(Delivery.objects.filter(message=other).values_list("status", flat=True)) == {
        DeliveryStatus.GAVE_UP
    }


def test_staff_can_retry_what_failed(outbox, xingyu):
    subscriber = make_subscriber([xingyu])
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = make_message(notice)
    locmem.fail_next(InvalidNumberError("x", numbers=(subscriber.phone,)))
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["failed"] == 1
    assert dispatch.retry_failed(message) == 1
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["sent"] == 1


def test_updates_of_major_notices_are_texted(django_capture_on_commit_callbacks, outbox, xingyu):
    make_subscriber([xingyu])
    start = timezone.now() - timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        minor = make_notice(
            communities=[xingyu],
            kind="emergency",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
    assert outbox == []  # 6 hours: not major
    with django_capture_on_commit_callbacks(execute=True):
        record_update(minor.pk, "info", text="抢修中")
    assert outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        record_update(minor.pk, "extended", new_ends_at=start + timedelta(hours=10), text="延长")
    assert len(outbox) == 1 and "结束时间延长至" in outbox[0][1].text  # the extension made it major
    with django_capture_on_commit_callbacks(execute=True):
        record_update(minor.pk, "restored", text="恢复")
    assert len(outbox) == 2 and "已恢复。" in outbox[1][1].text


@pytest.mark.parametrize(
    ("moment", "kind", "held_until"),
    [
        ("2026-12-01T21:59:00", "planned", None),
        ("2026-12-01T22:00:00", "planned", datetime(2026, 12, 2, 7, 0, tzinfo=SHANGHAI)),
        ("2026-12-01T06:59:00", "planned", datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI)),
        ("2026-12-01T07:00:00", "planned", None),
        ("2026-12-01T23:30:00", "emergency", None),
    ],
)
def test_quiet_hours_hold_planned_outages_until_seven(
    clock, django_capture_on_commit_callbacks, xingyu, moment, kind, held_until
):
    """The seeded content rules (rules/migrations/0002) decide, as the code did before them."""
    now = clock(moment, tick=False)
    notice = publish_major(django_capture_on_commit_callbacks, xingyu, kind=kind)
    message = OutboundMessage.objects.get(notice=notice, channel="sms")
    assert message.not_before == (held_until or now)


def test_held_message_waits_for_the_minute_schedule(outbox, xingyu):
    make_subscriber([xingyu])
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = make_message(notice, not_before=timezone.now() + timedelta(hours=3))
    dispatch_due()
    dispatch.send_message(message.pk)
    assert outbox == []
    OutboundMessage.objects.filter(pk=message.pk).update(not_before=timezone.now())
    assert dispatch_due() == 1
    assert len(outbox) == 1


def test_preview_counts_billed_parts(xingyu):
    notice = make_notice(communities=[xingyu], ends_at=None)
    shown = SmsChannel().preview(notice)
    assert shown["text"].startswith("【春城热力】停水通知：")
    assert shown["length"] == len(shown["text"])
    assert shown["parts"] == (1 if shown["length"] <= 70 else -(-shown["length"] // 67))


def test_no_phone_number_reaches_the_logs(caplog, outbox, xingyu):
    subscriber = make_subscriber([xingyu])
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = make_message(notice)
    locmem.fail_next(PermanentSmsError("bad template"))
    with caplog.at_level("DEBUG"):
        dispatch.send_message(message.pk)
    assert subscriber.phone not in caplog.text


class TestThroughTheAliyunStandin:
    """The Aliyun backend against the local stand-in of its HTTP API, with provider faults."""

    @pytest.fixture
    def standin(self):
        from standins.aliyun_sms import AliyunSmsStandin

        with AliyunSmsStandin("key", "secret", timeout_delay=1.5) as server:
            yield server

    @pytest.fixture
    def backend(self, standin):
        from sms.backends.aliyun import AliyunBackend

        return AliyunBackend(
            access_key_id="key",
            access_key_secret="secret",
            sign_name="春城热力",
            endpoint=standin.endpoint,
            timeout=0.5,
            max_batch=4,
        )

    @pytest.fixture
    def message(self, xingyu):
        self.subscribers = [make_subscriber([xingyu]) for _ in range(10)]
        notice = make_notice(communities=[xingyu], ends_at=None)
        return make_message(notice, template_code="SMS_OUTAGE", params={"utility": "停水"})

    def each_once(self, standin):
        return {s.phone: len(standin.sent_to(s.phone)) for s in self.subscribers} == {
            s.phone: 1 for s in self.subscribers
        }

    def due_now(self, message):
        Delivery.objects.filter(message=message).update(next_attempt_at=timezone.now())

    def test_5xx_and_throttling_are_retried(self, standin, backend, message):
        standin.fail_next(1, "5xx")
        standin.fail_next(1, "throttle")
        dispatch.send_message(message.pk, backend=backend)
        assert dispatch.report(message)["pending"] == 8  # two batches of four to retry
        self.due_now(message)
        dispatch.send_message(message.pk, backend=backend)
        assert self.each_once(standin)

    @override_settings(SMS_CLAIM_TIMEOUT=0)
    def test_a_timeout_after_the_provider_accepted_is_not_sent_twice(
        self, standin, backend, message
    ):
        standin.timeout_after_accept = True
        standin.fail_next(1, "timeout")
        dispatch.send_message(message.pk, backend=backend)
        assert dispatch.report(message)["sending"] == 4  # left for recovery
        dispatch.send_message(message.pk, backend=backend)  # recovery asks QuerySendDetails
        assert self.each_once(standin)
        assert dispatch.report(message)["sent"] == 10

    @override_settings(SMS_CLAIM_TIMEOUT=0)
    def test_a_timeout_before_acceptance_is_sent_again(self, standin, backend, message):
        standin.fail_next(1, "timeout")
        dispatch.send_message(message.pk, backend=backend)
        dispatch.send_message(message.pk, backend=backend)
        assert self.each_once(standin)

    def test_a_partial_batch_failure_retries_only_the_failed_number(
        self, standin, backend, message
    ):
        bad = self.subscribers[5]
        standin.invalid_numbers.add(bad.phone)
        dispatch.send_message(message.pk, backend=backend)
        assert standin.sent_to(bad.phone) == []
        assert (
            Delivery.objects.get(message=message, recipient_id=bad.pk).status
            == DeliveryStatus.FAILED
        )
        good = [s for s in self.subscribers if s != bad]
        assert all(len(standin.sent_to(s.phone)) == 1 for s in good)


def test_delivery_report_and_retry_in_the_admin(client, editor, moderator, outbox, xingyu):
    subscriber = make_subscriber([xingyu])
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = make_message(notice, text="【春城热力】报告测试")
    locmem.fail_next(InvalidNumberError("x", numbers=(subscriber.phone,)))
    dispatch.send_message(message.pk)
    url = f"/admin/alerts/notices/{notice.pk}/deliveries/"
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)  # delivery data is for 审核
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert "各渠道预览" in page and "条计费" in page
    assert "报告测试" in page and "重发失败的1个" in page
    assert subscriber.phone not in page
    response = client.post(f"/admin/alerts/messages/{message.pk}/retry/")
    assert response.status_code == 302
    assert dispatch.report(message)["sent"] == 1
    assert texted(outbox) == [subscriber.phone]


def test_admin_dashboard_lists_upcoming_major_outages(client, moderator):
    client.force_login(moderator)
    body = client.get("/admin/").content.decode()
    assert "即将开始和正在进行的8小时以上停供" in body
    assert "黄河路与东八条交会处燃气管网改造停气通知" in body
