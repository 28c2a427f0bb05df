"""The service desk's background jobs: reminders and escalations run by django-q2's scheduler,
the return call scheduled inside the calling hours, the resident's texts sent once whatever
happens, and the retention purge."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Schedule
from django_q.scheduler import scheduler

from config.schedules import ensure_schedules
from contacts.models import Community
from servicedesk import workflow
from servicedesk.compliance import parse_month
from servicedesk.deadlines import RETURN_VISIT_WINDOWS
from servicedesk.enums import (
    AlertKind,
    EventKind,
    RequestKind,
    RequestStatus,
    ResidentMessageKind,
)
from servicedesk.models import (
    ComplianceFigure,
    RequestEvent,
    ResidentMessage,
    ServiceRequest,
    StaffAlert,
)
from servicedesk.scheduling import return_visit_schedule_name
from servicedesk.tasks import (
    check_deadlines,
    notify_resident,
    purge,
    refresh_compliance,
    return_visit_due,
)
from sms import PermanentSmsError, TransientSmsError, sms_parts
from sms.backends import locmem
from tests.factories.servicedesk import make_request, make_station_staff

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
CHECK_DEADLINES = "servicedesk-check-deadlines"


@pytest.fixture
def community():
    return Community.objects.select_related("station").order_by("code").first()


@pytest.fixture
def owner(community):
    return make_station_staff(community.station, email="owner@example.com")


@pytest.fixture
def colleague(community):
    return make_station_staff(community.station, email="colleague@example.com")


@pytest.fixture
def supervisor(moderator):
    moderator.email = "moderator@example.com"
    moderator.save(update_fields=["email"])
    return moderator


def run_schedule(name: str) -> None:
    """Let django-q2's scheduler start the named schedule now, and nothing else (the test
    settings run the task it creates inline)."""
    now = timezone.now()
    Schedule.objects.exclude(name=name).update(next_run=now + timedelta(days=1))
    Schedule.objects.filter(name=name).update(next_run=now - timedelta(minutes=1))
    scheduler(broker=get_broker())


def mails_about(reference: str) -> list:
    return [message for message in mail.outbox if reference in message.subject]


def recipients_of(messages) -> set[str]:
    return {address for message in messages for address in message.to}


def test_reminders_and_escalations_run_by_the_scheduler_once(
    community, owner, colleague, supervisor
):
    ensure_schedules()
    now = timezone.now()
    # Contact within 1 hour (投诉建议): reminded 12 minutes before, so 50 minutes in.
    reminded = make_request(community=community, submitted_at=now - timedelta(minutes=50))
    workflow.take(reminded, owner)
    # Two hours in and nobody has called: escalated, and nobody owns it yet.
    unanswered = make_request(community=community, submitted_at=now - timedelta(hours=2))
    # Called in time but not closed within 24 hours.
    late = make_request(community=community, submitted_at=now - timedelta(hours=25))
    workflow.take(late, owner)
    workflow.record_action(late, owner, EventKind.CONTACTED, "电话联系，约定上门时间。")

    run_schedule(CHECK_DEADLINES)

    reminder = mails_about(reminded.reference)
    assert len(reminder) == 1 and reminder[0].to == ["owner@example.com"]
    assert "时限提醒" in reminder[0].subject
    detail = "http://testserver" + reverse("servicedesk_admin_detail", args=[reminded.pk])
    assert detail in reminder[0].body
    for message in mail.outbox:  # no personal data in mail
        for request in (reminded, unanswered, late):
            assert request.phone not in message.body + message.subject
            assert request.description not in message.body
    escalation = mails_about(unanswered.reference)
    assert all("超时督办" in message.subject for message in escalation)
    # Nobody owns it: the station's staff and the supervisors, each once.
    assert sorted(address for message in escalation for address in message.to) == [
        "colleague@example.com",
        "moderator@example.com",
        "owner@example.com",
    ]
    overdue = mails_about(late.reference)
    assert recipients_of(overdue) == {"owner@example.com", "moderator@example.com"}
    assert all("办结时限" in message.subject for message in overdue)

    alerts = {
        (alert.request_id, alert.kind): alert
        for alert in StaffAlert.objects.filter(request__in=[reminded, unanswered, late])
    }
    assert set(alerts) == {
        (reminded.pk, AlertKind.CONTACT_REMINDER),
        (unanswered.pk, AlertKind.CONTACT_ESCALATION),
        (late.pk, AlertKind.RESOLVE_ESCALATION),
    }
    assert all(alert.sent_at for alert in alerts.values())
    assert alerts[(unanswered.pk, AlertKind.CONTACT_ESCALATION)].recipients == 3
    for request in (reminded, unanswered, late):
        request.refresh_from_db()
    assert reminded.escalated_at is None
    assert unanswered.escalated_at and late.escalated_at
    assert list(reminded.events.filter(kind=EventKind.REMINDED).values_list("note", flat=True)) == [
        "联系时限提醒"
    ]
    assert unanswered.events.filter(kind=EventKind.ESCALATED).count() == 1
    escalated_at = unanswered.escalated_at

    sent = len(mail.outbox)
    events = RequestEvent.objects.count()
    run_schedule(CHECK_DEADLINES)
    assert len(mail.outbox) == sent
    assert RequestEvent.objects.count() == events
    unanswered.refresh_from_db()
    assert unanswered.escalated_at == escalated_at


def test_an_alert_the_mail_server_refused_goes_out_on_a_later_run(
    community, owner, supervisor, settings
):
    request = make_request(community=community, submitted_at=timezone.now() - timedelta(hours=2))
    workflow.take(request, owner)
    ensure_schedules()
    # Nothing listens on port 1: the SMTP connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    run_schedule(CHECK_DEADLINES)
    alert = StaffAlert.objects.get(request=request, kind=AlertKind.CONTACT_ESCALATION)
    assert alert.sent_at is None and not mails_about(request.reference)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_schedule(CHECK_DEADLINES)
    alert.refresh_from_db()
    assert alert.sent_at
    assert recipients_of(mails_about(request.reference)) == {
        "owner@example.com",
        "moderator@example.com",
    }
    assert request.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_a_contacted_request_gets_no_contact_reminder(community, owner):
    request = make_request(community=community, submitted_at=timezone.now() - timedelta(minutes=50))
    workflow.take(request, owner)
    workflow.record_action(request, owner, EventKind.CONTACTED, "已电话联系。")
    ensure_schedules()
    run_schedule(CHECK_DEADLINES)
    assert not StaffAlert.objects.filter(request=request).exists()
    assert not mails_about(request.reference)


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def in_calling_hours(moment) -> bool:
    clock = timezone.localtime(moment).time()
    return any(opens <= clock <= closes for opens, closes in RETURN_VISIT_WINDOWS)


@pytest.mark.parametrize(
    ("closed", "expected"),
    [
        ((6, 0), (0, 8, 0)),  # two hours after closing, in the morning window
        ((10, 0), (0, 14, 0)),  # 12:00 is lunch: the afternoon window opens
        ((21, 30), (1, 7, 0)),  # no calls after 22:00: next morning
        ((23, 50), (1, 7, 0)),
    ],
)
def test_the_return_call_is_scheduled_inside_calling_hours_within_a_day(
    community, owner, monkeypatch, closed, expected
):
    request = make_request(community=community)
    workflow.take(request, owner)
    day = timezone.localdate() + timedelta(days=1)
    closed_at = local(day, *closed)
    monkeypatch.setattr(timezone, "now", lambda: closed_at)
    workflow.close(request, owner, "已上门处理，室温恢复正常。")
    monkeypatch.undo()

    schedule = Schedule.objects.get(name=return_visit_schedule_name(request))
    assert schedule.schedule_type == Schedule.ONCE
    assert schedule.func == "servicedesk.tasks.return_visit_due"
    days, hour, minute = expected
    assert schedule.next_run == local(day + timedelta(days=days), hour, minute)
    assert in_calling_hours(schedule.next_run)
    assert closed_at < schedule.next_run <= closed_at + timedelta(hours=24)


def test_the_return_call_schedule_reminds_the_owner_once(community, owner, colleague):
    request = make_request(community=community)
    workflow.take(request, owner)
    workflow.close(request, owner, "已上门处理，室温恢复正常。")
    ensure_schedules()

    run_schedule(return_visit_schedule_name(request))
    reminder = mails_about(request.reference)
    assert len(reminder) == 1 and reminder[0].to == ["owner@example.com"]
    assert "回访提醒" in reminder[0].subject and "前回访" in reminder[0].subject
    assert "24小时内" in reminder[0].body
    assert request.phone not in reminder[0].body
    alert = StaffAlert.objects.get(request=request, kind=AlertKind.RETURN_VISIT)
    assert alert.sent_at and alert.recipients == 1

    run_schedule(return_visit_schedule_name(request))  # a ONCE schedule runs once
    assert return_visit_due(request.pk) == "done"  # and a redelivered task sends nothing
    assert len(mails_about(request.reference)) == 1


def test_no_return_call_reminder_once_the_call_is_recorded(community, owner):
    request = make_request(community=community)
    workflow.take(request, owner)
    workflow.close(request, owner, "已办结。")
    workflow.record_return_visit(request, owner, "用户表示满意。")
    assert return_visit_due(request.pk) == "not needed"
    assert not mails_about(request.reference)


def test_a_dissatisfied_rating_is_reviewed_by_the_owner_and_the_supervisors(
    community, owner, supervisor
):
    """Seed 000: every evaluation is checked and what went wrong corrected."""
    unhappy, happy = make_request(community=community), make_request(community=community)
    for request, score in ((unhappy, 2), (happy, 4)):
        workflow.take(request, owner)
        workflow.close(request, owner, "已办结。")
        workflow.rate(request, score)
    ensure_schedules()
    mail.outbox.clear()
    run_schedule(CHECK_DEADLINES)
    reviews = mails_about(unhappy.reference)  # one e-mail per address
    assert all(
        "【评价复核】" in review.subject and "不满意" in review.subject for review in reviews
    )
    assert recipients_of(reviews) == {"owner@example.com", "moderator@example.com"}
    assert len(reviews) == 2
    assert not any(unhappy.phone in review.body for review in reviews)
    assert not any(unhappy.description in review.body for review in reviews)
    assert not mails_about(happy.reference)
    assert unhappy.events.filter(kind=EventKind.ESCALATED).count() == 1
    run_schedule(CHECK_DEADLINES)
    assert len(mails_about(unhappy.reference)) == 2
    assert StaffAlert.objects.filter(request=unhappy, kind=AlertKind.DISSATISFIED).count() == 1


def test_a_backlog_is_worked_off_a_batch_a_minute(community, owner, monkeypatch):
    monkeypatch.setattr("servicedesk.tasks.MAX_ALERTS_PER_RUN", 2)
    long_ago = timezone.now() - timedelta(days=3)
    backlog = [make_request(community=community, submitted_at=long_ago) for _ in range(3)]
    alerts = StaffAlert.objects.filter(request__in=backlog)
    escalated = alerts.filter(kind=AlertKind.RESOLVE_ESCALATION)
    first = check_deadlines()
    assert (first[AlertKind.RESOLVE_ESCALATION], first["sent"]) == (2, 2)
    assert escalated.count() == 2
    assert check_deadlines()[AlertKind.RESOLVE_ESCALATION] == 1
    assert escalated.count() == 3
    for _minute in range(3):
        assert check_deadlines()[AlertKind.RESOLVE_ESCALATION] == 0
    # Every alert raised (a contact and a resolve escalation each) went out, a batch a run.
    assert alerts.count() == 6 and not alerts.filter(sent_at=None).exists()


def texts_to(outbox, phone) -> list[str]:
    return [content.text for numbers, content, _out_id, _provider in outbox if phone in numbers]


def test_the_receipt_and_the_closing_texts_go_once_each(
    community, owner, outbox, django_capture_on_commit_callbacks
):
    request = make_request(community=community, submitted_at=timezone.now())
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "sent"
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "done"
    [receipt] = texts_to(outbox, request.phone)
    track = "http://testserver" + reverse("servicedesk_track", args=[request.tracking_token])
    assert receipt.startswith("【春城热力】您的投诉建议已受理")
    assert request.reference in receipt and f"{community.station.name}将于" in receipt
    assert track in receipt
    assert timezone.localtime(request.contact_due_at).strftime("%-H:%M") in receipt
    assert sms_parts(receipt) <= 2

    workflow.take(request, owner)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.close(request, owner, "已答复用户。")
    notify_resident(request.pk, ResidentMessageKind.CLOSED)
    assert len(texts_to(outbox, request.phone)) == 2
    closing = texts_to(outbox, request.phone)[-1]
    assert "已办结" in closing and request.reference in closing and track in closing
    messages = ResidentMessage.objects.filter(request=request)
    assert sorted(messages.values_list("kind", flat=True)) == ["closed", "received"]
    assert all(message.sent_at for message in messages)


def test_a_transient_provider_error_is_retried(community, outbox):
    request = make_request(community=community)
    locmem.fail_next(TransientSmsError("timeout"))
    with pytest.raises(TransientSmsError):
        notify_resident(request.pk, ResidentMessageKind.RECEIVED)
    message = ResidentMessage.objects.get(request=request)
    assert message.claimed_at is None and message.sent_at is None  # released for the retry
    assert not outbox

    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "sent"
    assert len(texts_to(outbox, request.phone)) == 1


def test_a_call_the_provider_may_have_taken_is_checked_before_sending_again(
    community, outbox, settings
):
    request = make_request(community=community)
    locmem.fail_next(TransientSmsError("read timeout", maybe_accepted=True))
    with pytest.raises(TransientSmsError):
        notify_resident(request.pk, ResidentMessageKind.RECEIVED)
    # The claim stays: a retry before it is stale does nothing.
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "claimed by another worker"
    stale = timezone.now() - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT + 1)
    ResidentMessage.objects.filter(request=request).update(claimed_at=stale)
    # The provider did not take it (the locmem outbox is empty): sent now, once.
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "sent"
    assert len(texts_to(outbox, request.phone)) == 1


def test_a_worker_that_died_after_the_provider_took_the_text_does_not_text_twice(
    community, outbox, settings
):
    request = make_request(community=community)
    notify_resident(request.pk, ResidentMessageKind.RECEIVED)
    # As if the worker had died between the provider's answer and recording it.
    stale = timezone.now() - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT + 1)
    ResidentMessage.objects.filter(request=request).update(sent_at=None, claimed_at=stale)
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "sent"
    assert len(texts_to(outbox, request.phone)) == 1
    assert ResidentMessage.objects.get(request=request).sent_at


def test_a_permanent_provider_error_is_recorded_and_not_retried(community, outbox):
    request = make_request(community=community)
    locmem.fail_next(PermanentSmsError("模板未审核通过"))
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "failed"
    assert ResidentMessage.objects.get(request=request).error == "模板未审核通过"
    assert notify_resident(request.pk, ResidentMessageKind.RECEIVED) == "done"
    assert not outbox


def test_purge_deletes_unproven_requests_and_erases_old_personal_data(community, owner):
    now = timezone.now()
    unproven_old, unproven_new = (
        make_request(community=community),
        make_request(community=community),
    )
    ServiceRequest.objects.filter(pk__in=[unproven_old.pk, unproven_new.pk]).update(
        status=RequestStatus.UNVERIFIED, submitted_at=None
    )
    ServiceRequest.objects.filter(pk=unproven_old.pk).update(created_at=now - timedelta(days=2))
    old = make_request(
        kind=RequestKind.SUSPENSION,
        community=community,
        submitted_at=now - timedelta(days=400),
        address="3号楼2单元502",
        account_number="1234567890",
    )
    workflow.take(old, owner)
    workflow.record_action(old, owner, EventKind.CONTACTED, "联系了502住户王先生。")
    workflow.close(old, owner, "已为502关阀。")
    workflow.rate(old, 5, "师傅很耐心，谢谢王师傅。")
    ServiceRequest.objects.filter(pk=old.pk).update(closed_at=now - timedelta(days=366))
    recent = make_request(community=community, address="1号楼101")
    month = timezone.localtime(old.submitted_at).strftime("%Y-%m")
    refresh_compliance(month)
    figures = list(ComplianceFigure.objects.filter(month=parse_month(month)).values())
    assert figures

    result = purge()

    assert result["unverified_deleted"] == 1 and result["erased"] == 1
    assert not ServiceRequest.objects.filter(pk=unproven_old.pk).exists()
    assert ServiceRequest.objects.filter(pk=unproven_new.pk).exists()
    old.refresh_from_db()
    assert (old.phone, old.address, old.account_number, old.description) == ("", "", "", "")
    assert (old.resolution, old.rating_comment) == ("", "")
    assert not old.events.exclude(note="").exists()
    assert (old.rating, old.station_id, old.kind) == (5, community.station_id, "suspension")
    assert old.submitted_at and old.first_contact_at and old.closed_at and old.resolve_due_at
    recent.refresh_from_db()
    assert recent.phone and recent.address == "1号楼101"

    assert refresh_compliance(month)["changed"] == []  # the figures' inputs are all there
    assert list(ComplianceFigure.objects.filter(month=parse_month(month)).values()) == figures
    assert purge() == {"unverified_deleted": 0, "erased": 0, "notes_erased": 0}
