"""媒体: a major notice e-mailed once to each active press contact through a real SMTP server on
127.0.0.1 (standins/smtp_server.py) and Django's SMTP backend; each error does what its kind
says; a worker killed mid-call is recovered; no address reaches a log line. And the admin's
delivery report shows SMS, robots and press side by side."""

import logging
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alerts import dispatch
from alerts.channels.press import PressChannel, body, subject
from alerts.enums import DeliveryStatus
from alerts.models import Delivery, OutboundMessage
from alerts.outbox import queue
from config.log_safety import SafeFormatter
from contacts.models import Community
from standins.smtp_server import SmtpStandin
from standins.wecom_robot import WecomRobotStandin
from tests.factories.alerts import make_message, make_press_contact, make_robot, make_subscriber
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def xingyu():
    return Community.objects.get(code="LY-0001")


@pytest.fixture
def contacts():
    return [make_press_contact(outlet=outlet) for outlet in ("长春日报", "城市晚报", "吉林电视台")]


def smtp_settings(settings, server, **extra):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    settings.DEFAULT_FROM_EMAIL = "春城热力 <noreply@example.cn>"
    for name, value in extra.items():
        setattr(settings, name, value)


@pytest.fixture
def smtp(settings):
    with SmtpStandin() as server:
        smtp_settings(settings, server)
        yield server


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.DEBUG)
    formatter = SafeFormatter("%(levelname)s %(name)s %(message)s")
    return lambda: "\n".join(formatter.format(record) for record in caplog.records)


def publish_major(django_capture_on_commit_callbacks, community, **fields):
    start = timezone.now() + timedelta(days=2)
    defaults = {"kind": "emergency", "starts_at": start, "ends_at": start + timedelta(hours=12)}
    with django_capture_on_commit_callbacks(execute=True):
        return make_notice(communities=[community], **{**defaults, **fields})


def press_message(notice) -> OutboundMessage:
    message = make_message(
        notice,
        channel="press",
        text=body(notice, "published"),
        params={"subject": subject(notice, "published")},
    )
    dispatch.fan_out(message)
    return message


def status_of(message, contact) -> Delivery:
    return Delivery.objects.get(message=message, recipient_id=contact.pk)


def mails(smtp, contacts) -> dict[str, int]:
    return {contact.email: len(smtp.received_by(contact.email)) for contact in contacts}


def test_a_major_notice_reaches_each_active_contact_once_alone(
    django_capture_on_commit_callbacks, smtp, contacts, xingyu, logged
):
    retired = make_press_contact(active=False)

    notice = publish_major(django_capture_on_commit_callbacks, xingyu)

    assert mails(smtp, contacts) == dict.fromkeys([c.email for c in contacts], 1)
    assert smtp.received_by(retired.email) == []
    [mail] = smtp.received_by(contacts[0].email)
    assert mail["To"] == contacts[0].email  # nobody sees another desk's address
    assert mail["Subject"].strip() == "【春城热力】停水通知：测试泵站"  # (folded after "Subject:")
    text = mail.get_content()
    for fact in ("南至皓月大路", xingyu.name, "管网检修", "请提前储水。", "9612399"):
        assert fact in text
    assert f"/notices/{notice.slug}/" in text

    # The signal again, the task redelivered: nothing sent twice.
    message = OutboundMessage.objects.get(notice=notice, channel="press")
    queue(notice, "published", "published")
    dispatch.send_message(message.pk)
    assert mails(smtp, contacts) == dict.fromkeys([c.email for c in contacts], 1)
    assert dispatch.report(message)["sent"] == 3
    assert all(contact.email not in logged() for contact in contacts)


def test_a_refused_address_fails_alone(smtp, contacts, xingyu):
    smtp.refused.add(contacts[1].email)
    message = press_message(make_notice(communities=[xingyu], ends_at=None))
    dispatch.send_message(message.pk)
    assert status_of(message, contacts[1]).status == DeliveryStatus.FAILED
    assert contacts[1].email not in status_of(message, contacts[1]).last_error
    assert mails(smtp, contacts) == {
        contacts[0].email: 1,
        contacts[1].email: 0,
        contacts[2].email: 1,
    }


def test_a_421_is_retried_later_with_backoff(smtp, contacts, xingyu, clock):
    clock("2026-12-05 10:00")
    smtp.fail_next(1, "421")
    message = press_message(make_notice(communities=[xingyu], ends_at=None))
    dispatch.send_message(message.pk)
    [waiting] = Delivery.objects.filter(message=message, status=DeliveryStatus.PENDING)
    assert "421" in waiting.last_error
    assert waiting.next_attempt_at == pytest.approx(
        timezone.now() + timedelta(seconds=30), abs=timedelta(seconds=5)
    )
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["sent"] == 2
    clock.shift(31)
    dispatch.send_message(message.pk)
    assert mails(smtp, contacts) == dict.fromkeys([c.email for c in contacts], 1)


def test_a_refused_login_stops_the_message(settings, contacts, xingyu, logged):
    with SmtpStandin(username="heat", password="right") as server:
        smtp_settings(settings, server, EMAIL_HOST_USER="heat", EMAIL_HOST_PASSWORD="wrong")
        message = press_message(make_notice(communities=[xingyu], ends_at=None))
        dispatch.send_message(message.pk)
        report = dispatch.report(message)
        assert report["gave_up"] >= 1 and report["sent"] == 0
        assert report["pending"] == 3 - report["gave_up"]  # no new calls after the first refusal
        assert "535" in Delivery.objects.filter(message=message, status="gave_up")[0].last_error
        assert server.received == {}

        settings.EMAIL_HOST_PASSWORD = "right"  # fixed, and retried from the admin
        dispatch.retry_failed(message)
        dispatch.send_message(message.pk)
        assert mails(server, contacts) == dict.fromkeys([c.email for c in contacts], 1)
    assert "wrong" not in logged()


def test_no_server_is_retried_later(settings, contacts, xingyu):
    server = SmtpStandin().start()
    smtp_settings(settings, server)
    server.stop()  # nothing listens there any more
    message = press_message(make_notice(communities=[xingyu], ends_at=None))
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["pending"] == 3


@override_settings(SMS_CLAIM_TIMEOUT=0)
@pytest.mark.parametrize(("fault", "copies"), [("drop", 1), ("drop_after_data", 2)])
def test_a_connection_lost_mid_transaction_is_settled_by_recovery(
    smtp, contacts, xingyu, fault, copies
):
    """Lost before the answer to MAIL or DATA: the server may have the message, so the row
    stays claimed and recovery sends it again; a server that had taken it (drop_after_data)
    delivered it twice, and the report says it may have."""
    smtp.fail_next(1, fault)
    message = press_message(make_notice(communities=[xingyu], ends_at=None))
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["sending"] == 1

    dispatch.send_message(message.pk)

    assert sorted(mails(smtp, contacts).values()) == [1, 1, copies]
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["possible_duplicates"]) == (3, 4, 1)


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_worker_killed_between_hand_over_and_record_is_recovered(smtp, contacts, xingyu):
    message = press_message(make_notice(communities=[xingyu], ends_at=None))
    channel = PressChannel()
    claimed = dispatch._claim(message, 1, channel)  # and never handed over
    handed = dispatch._claim(message, 1, channel)
    dispatch._hand_over(handed)  # and the worker dies before the call

    dispatch.send_message(message.pk)

    assert mails(smtp, contacts) == dict.fromkeys([c.email for c in contacts], 1)
    assert status_of(message, contacts[0]).handovers == 1
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"]) == (3, 4)
    assert claimed.addresses != handed.addresses


def test_the_delivery_report_shows_every_channel_side_by_side(
    django_capture_on_commit_callbacks, smtp, settings, contacts, xingyu, client, moderator
):
    make_subscriber([xingyu])
    robot = make_robot(xingyu)
    with WecomRobotStandin({robot.webhook_key}) as wecom:
        settings.WECOM_ROBOT_API_BASE = wecom.base_url
        notice = publish_major(django_capture_on_commit_callbacks, xingyu)
    client.force_login(moderator)

    page = client.get(reverse("alerts_notice_deliveries", args=(notice.pk,))).content.decode()

    assert [m.channel for m in notice.outbound_messages.order_by("pk")] == ["sms", "robot", "press"]
    report = page[page.index("推送记录") :]
    assert report.index("短信") < report.index("管家群") < report.index("媒体邮件")
    previews = page[: page.index("推送记录")]
    assert "Markdown消息" in previews and "每位媒体联系人单独一封" in previews
    assert robot.webhook_key not in page
    assert all(contact.email not in page for contact in contacts)


def test_the_press_list_is_managed_by_moderators_and_masked(client, moderator, editor, contacts):
    listing = reverse("wagtailsnippets_alerts_presscontact:list")
    client.force_login(editor)
    assert client.get(listing).status_code in (302, 403)
    client.force_login(moderator)
    client.post(
        reverse("wagtailsnippets_alerts_presscontact:add"),
        {"outlet": "新文化报", "person": "值班编辑", "email": "news@example.cn", "active": "on"},
    )
    page = client.get(listing).content.decode()
    assert "ne***@example.cn" in page and "news@example.cn" not in page
    assert "长春日报" in page
