"""The request's life in the service layer: routing by community, deadlines from the published
commitments, 首问负责 ownership and hand-over, temperature readings by seed 004's method,
closing and rating."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_q.models import Schedule

from alerts.subscriptions import CODE_PURPOSE as SUBSCRIPTION
from commitments.models import Commitment
from contacts.models import Station
from servicedesk import routing, workflow
from servicedesk.deadlines import RETURN_VISIT_WINDOWS
from servicedesk.enums import EventKind, RequestKind, RequestStatus, Signature
from servicedesk.models import CalendarDay, ServiceRequest
from servicedesk.scheduling import return_visit_schedule_name
from servicedesk.workflow import WorkflowError
from sms.verification import VerificationFailed, issue_code
from tests.factories.servicedesk import (
    communities_of_two_stations,
    make_request,
    make_station_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
PHONE = "13900005678"


def texted_code(outbox) -> str:
    return re.search(r"验证码是(\d{6})", outbox[-1][1].text).group(1)


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


# Routing and verification -------------------------------------------------------------------


def test_a_request_goes_to_the_station_that_serves_its_community(
    outbox, django_capture_on_commit_callbacks
):
    first, second = communities_of_two_stations()
    staff_first = make_station_staff(first.station)
    staff_second = make_station_staff(second.station)
    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.submit(RequestKind.COMPLAINT, first, PHONE, "暖气不热。")
    assert outbox[-1][0] == (PHONE,) and "提交供热服务诉求" in outbox[-1][1].text
    assert request.status == RequestStatus.UNVERIFIED
    assert not routing.visible_requests(staff_first).filter(pk=request.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.confirm(request, texted_code(outbox))
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED and request.submitted_at
    assert request.station == first.station
    assert request.events.get().kind == EventKind.SUBMITTED
    assert request.events.get().to_station == first.station
    assert routing.visible_requests(staff_first).filter(pk=request.pk).exists()
    assert not routing.visible_requests(staff_second).filter(pk=request.pk).exists()
    assert routing.can_see(staff_first, request) and not routing.can_see(staff_second, request)


def test_routing_follows_the_directory_at_confirmation(outbox, django_capture_on_commit_callbacks):
    first, second = communities_of_two_stations()
    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.submit(RequestKind.CONSULTATION, first, PHONE, "报停要带什么材料？")
    first.station = second.station
    first.save()
    workflow.confirm(request, texted_code(outbox))
    assert ServiceRequest.objects.get(pk=request.pk).station == second.station


def test_an_unproven_number_routes_nothing(
    outbox, django_capture_on_commit_callbacks, moderator, clock
):
    first, _ = communities_of_two_stations()
    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.submit(RequestKind.COMPLAINT, first, PHONE, "暖气不热。")
    right = texted_code(outbox)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(VerificationFailed, match="验证码不正确"):
        workflow.confirm(request, wrong)
    request.refresh_from_db()
    assert request.status == RequestStatus.UNVERIFIED
    assert not routing.visible_requests(moderator).filter(pk=request.pk).exists()
    assert not routing.can_see(moderator, request)
    # A code texted for an SMS subscription does not prove a service request.
    clock.shift(61)  # the number's budget allows one code a minute
    with django_capture_on_commit_callbacks(execute=True):
        issue_code(PHONE, SUBSCRIPTION, "订阅停供短信")
    with pytest.raises(VerificationFailed):
        workflow.confirm(request, texted_code(outbox))
    workflow.confirm(request, right)
    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.SUBMITTED
    with pytest.raises(WorkflowError, match="无需再次验证"):
        workflow.confirm(request, right)


def test_every_station_has_its_service_team_group_named_after_it():
    station = Station.objects.create(name="第九十九供热所")
    group = station.desk.group
    assert group.name == "服务台：第九十九供热所"
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "handle_servicerequest",
    }
    station.name = "第一百供热所"
    station.save()
    assert Group.objects.get(pk=group.pk).name == "服务台：第一百供热所"
    # 审核 supervises every station.
    assert (
        Group.objects.get(name="审核")
        .permissions.filter(codename="supervise_servicerequest")
        .exists()
    )


# Deadlines ------------------------------------------------------------------------------------


def test_deadlines_come_from_the_published_commitments_in_working_days():
    CalendarDay.objects.filter(date__year=2026, date__month__in=[9, 10]).delete()
    for day in range(1, 8):
        CalendarDay.objects.create(date=f"2026-10-0{day}", kind="holiday", name="国庆节")
    CalendarDay.objects.create(date="2026-10-10", kind="workday", name="国庆节调休上班")
    request = make_request(RequestKind.SUSPENSION, submitted_at=local(2026, 9, 30, 10, 0))
    # 在线报停: 7个工作日内关阀 → Thursday 15 October ends at midnight.
    assert request.resolve_due_at == local(2026, 10, 16, 0, 0)
    assert "在线报停" in request.resolve_limit and "7个工作日内" in request.resolve_limit
    # First contact: 对用户的投诉、咨询及反映的问题，24小时内必须给予答复 (seed 004 第十二条).
    assert request.contact_due_at == local(2026, 10, 1, 10, 0)
    assert "24小时内" in request.contact_limit

    complaint = make_request(RequestKind.COMPLAINT, submitted_at=local(2026, 11, 20, 23, 30))
    assert complaint.contact_due_at == local(2026, 11, 21, 0, 30)  # 1小时内与用户联系
    assert complaint.resolve_due_at == local(2026, 11, 21, 23, 30)
    assert complaint.contact_remind_at == local(2026, 11, 21, 0, 18)


def test_an_edited_commitment_sets_the_next_deadline_and_keeps_the_given_ones():
    before = make_request(RequestKind.RESUMPTION, submitted_at=local(2026, 11, 23, 9, 0))
    assert before.resolve_due_at == local(2026, 11, 25, 9, 0)  # 48小时内预约开阀
    Commitment.objects.filter(key="resume-heating").update(limit_value=24)
    after = make_request(RequestKind.RESUMPTION, submitted_at=local(2026, 11, 23, 9, 0))
    assert after.resolve_due_at == local(2026, 11, 24, 9, 0)
    before.refresh_from_db()
    assert before.resolve_due_at == local(2026, 11, 25, 9, 0)


def test_a_missing_commitment_leaves_the_deadline_unset_and_the_request_accepted():
    Commitment.objects.filter(key="online-consultation").delete()
    request = make_request(RequestKind.CONSULTATION)
    assert request.contact_due_at is None and request.contact_limit == ""
    assert request.resolve_due_at is not None


# Ownership and hand-over ----------------------------------------------------------------------


def test_whoever_takes_a_request_owns_it():
    request = make_request()
    first = make_station_staff(request.station, first_name="王建国")
    second = make_station_staff(request.station)
    outsider = make_station_staff(communities_of_two_stations()[1].station)
    with pytest.raises(WorkflowError, match="无权办理"):
        workflow.take(request, outsider)
    with pytest.raises(WorkflowError, match="请先受理"):
        workflow.record_action(request, first, EventKind.CONTACTED, "电话联系")
    workflow.take(request, first)
    request.refresh_from_db()
    assert request.owner == first and request.status == RequestStatus.IN_PROGRESS
    with pytest.raises(WorkflowError, match="已由王建国受理"):
        workflow.take(request, second)
    with pytest.raises(WorkflowError, match="王建国首问负责"):
        workflow.record_action(request, second, EventKind.CONTACTED, "电话联系")
    contact = workflow.record_action(request, first, EventKind.CONTACTED, "电话联系用户")
    later = workflow.record_action(request, first, EventKind.VISITED, "上门")
    request.refresh_from_db()
    assert request.first_contact_at == contact.at < later.at
    assert list(request.events.values_list("kind", flat=True)) == [
        EventKind.TAKEN,
        EventKind.CONTACTED,
        EventKind.VISITED,
    ]


def test_hand_over_to_a_colleague_is_recorded_and_moves_ownership():
    request = make_request()
    owner = make_station_staff(request.station)
    colleague = make_station_staff(request.station)
    stranger = make_station_staff(communities_of_two_stations()[1].station)
    workflow.take(request, owner)
    with pytest.raises(WorkflowError, match="移交原因"):
        workflow.hand_over(request, owner, reason=" ", to_user=colleague)
    with pytest.raises(WorkflowError, match="不是"):
        workflow.hand_over(request, owner, reason="换班", to_user=stranger)
    with pytest.raises(WorkflowError, match="不能移交给自己"):
        workflow.hand_over(request, owner, reason="换班", to_user=owner)
    with pytest.raises(WorkflowError, match="二选一"):
        workflow.hand_over(request, owner, reason="换班")
    workflow.hand_over(request, owner, reason="换班，由夜班接手", to_user=colleague)
    event = request.events.get(kind=EventKind.HANDED_OVER)
    assert (event.from_user, event.to_user, event.actor, event.note) == (
        owner,
        colleague,
        owner,
        "换班，由夜班接手",
    )
    with pytest.raises(WorkflowError, match="首问负责"):
        workflow.record_action(request, owner, EventKind.NOTE, "还想记一笔")
    workflow.record_action(request, colleague, EventKind.CONTACTED, "夜班联系用户")
    assert ServiceRequest.objects.get(pk=request.pk).owner == colleague


def test_hand_over_to_another_station_moves_the_request_and_keeps_its_deadlines():
    request = make_request()
    other = communities_of_two_stations()[1].station
    owner = make_station_staff(request.station)
    their_staff = make_station_staff(other)
    due = request.resolve_due_at
    workflow.take(request, owner)
    workflow.hand_over(request, owner, reason="该楼栋由第二供热所管辖", to_station=other)
    request.refresh_from_db()
    assert request.station == other and request.owner is None
    assert request.status == RequestStatus.SUBMITTED and request.resolve_due_at == due
    event = request.events.get(kind=EventKind.HANDED_OVER)
    assert (event.from_station_id, event.to_station, event.from_user) != (None, None, None)
    assert event.to_station == other and event.from_user == owner
    assert not routing.can_see(owner, request)
    with pytest.raises(WorkflowError, match="无权办理"):
        workflow.record_action(request, owner, EventKind.NOTE, "还在我这里吗")
    workflow.take(request, their_staff)
    assert ServiceRequest.objects.get(pk=request.pk).owner == their_staff


def test_a_supervisor_may_reassign_a_request_they_do_not_own(moderator):
    request = make_request()
    owner = make_station_staff(request.station)
    colleague = make_station_staff(request.station)
    workflow.take(request, owner)
    workflow.hand_over(request, moderator, reason="负责人病假", to_user=colleague)
    event = request.events.get(kind=EventKind.HANDED_OVER)
    assert (event.actor, event.from_user, event.to_user) == (moderator, owner, colleague)


# Temperature, closing, rating -----------------------------------------------------------------


def test_temperature_readings_follow_seed_004s_method():
    request = make_request(RequestKind.TEMPERATURE)
    owner = make_station_staff(request.station)
    workflow.take(request, owner)
    now = timezone.now()
    reading = {
        "room": "主卧",
        "room_area": Decimal("25"),
        "doors_closed_since": now - timedelta(hours=4),
        "signature": Signature.SIGNED,
        "measured_at": now,
    }
    with pytest.raises(WorkflowError, match="应设2个测温点"):
        workflow.record_temperature(request, owner, readings=[Decimal("16.0")], **reading)
    with pytest.raises(WorkflowError, match="3小时以上"):
        workflow.record_temperature(
            request,
            owner,
            readings=[Decimal("16.0"), Decimal("16.4")],
            **{**reading, "doors_closed_since": now - timedelta(hours=1)},
        )
    result = workflow.record_temperature(
        request, owner, readings=[Decimal("16.0"), Decimal("16.5")], **reading
    )
    assert result.average == Decimal("16.3") and not result.meets_standard
    assert ServiceRequest.objects.get(pk=request.pk).first_contact_at == now
    refused = workflow.record_temperature(
        request,
        owner,
        readings=[Decimal("15.0")],
        **{**reading, "room_area": Decimal("12"), "signature": Signature.REFUSED},
    )
    assert refused.meets_standard  # 如住户拒绝签字，则视为室内温度合格


def test_closing_schedules_the_return_call_and_opens_the_rating(
    outbox, django_capture_on_commit_callbacks
):
    request = make_request()
    owner = make_station_staff(request.station)
    with pytest.raises(WorkflowError, match="办结后才能评价"):
        workflow.rate(request, 5)
    workflow.take(request, owner)
    with pytest.raises(WorkflowError, match="办理结果"):
        workflow.close(request, owner, "  ")
    workflow.close(request, owner, "已排气，室温恢复。")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.closed_at <= request.resolve_due_at
    schedule = Schedule.objects.get(name=return_visit_schedule_name(request))
    assert schedule.schedule_type == Schedule.ONCE and schedule.next_run == request.return_visit_at
    clock = timezone.localtime(schedule.next_run).time()
    assert any(opens <= clock < closes for opens, closes in RETURN_VISIT_WINDOWS)
    assert request.closed_at < schedule.next_run <= request.closed_at + timedelta(hours=24)
    with pytest.raises(WorkflowError, match="已办结"):
        workflow.record_action(request, owner, EventKind.NOTE, "补记")
    workflow.record_return_visit(request, make_station_staff(request.station), "用户满意")
    workflow.rate(request, 4, "师傅很耐心")
    with pytest.raises(WorkflowError, match="已经评价过"):
        workflow.rate(request, 1)
    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (4, "师傅很耐心")
    assert request.return_visited_at is not None
