"""The staff's side of the service desk in the admin: who sees which request, 首问负责 and
hand-over through the forms, seed 004's temperature method, closing and the return visit, the
list's query budget, the dashboard panel and the holiday calendar snippet."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from servicedesk.admin_views import dashboard_counts
from servicedesk.enums import DayKind, EventKind, RequestStatus
from servicedesk.models import CalendarDay, ServiceRequest, TemperatureReading
from tests.factories.servicedesk import (
    communities_of_two_stations,
    make_request,
    make_station_staff,
)
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

LIST = "/admin/servicedesk/"


def detail(request) -> str:
    return reverse("servicedesk_admin_detail", args=(request.pk,))


def step(request, name: str) -> str:
    return reverse("servicedesk_admin_step", args=(request.pk, name))


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture(autouse=True)
def _no_demo_requests(db):
    """Each test counts its own requests, not the demo's."""
    ServiceRequest.objects.all().delete()


@pytest.fixture
def communities():
    return communities_of_two_stations()


@pytest.fixture
def staff_a(communities):
    return make_station_staff(communities[0].station, username="zhang", first_name="张伟")


@pytest.fixture
def colleague_a(communities):
    return make_station_staff(communities[0].station, username="li", first_name="李娜")


@pytest.fixture
def staff_b(communities):
    return make_station_staff(communities[1].station, username="wang", first_name="王强")


def taken(request, user, client):
    client.force_login(user)
    assert client.post(step(request, "take")).status_code == 302
    request.refresh_from_db()
    return request


# Who sees what ------------------------------------------------------------------------------


def test_station_staff_see_their_stations_requests_only(client, communities, staff_a):
    mine = make_request(community=communities[0], phone="13920001111")
    other = make_request(community=communities[1])
    client.force_login(staff_a)

    listing = client.get(LIST).content.decode()
    assert mine.reference in listing and other.reference not in listing
    assert "139****1111" in listing and "13920001111" not in listing  # masked in the list

    page = client.get(detail(mine))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'href="tel:13920001111"' in body  # the staff call the resident
    assert mine.description in body and communities[0].name in body
    assert client.get(detail(other)).status_code == 404


def test_supervisors_see_every_station(client, communities, moderator):
    a = make_request(community=communities[0])
    b = make_request(community=communities[1])
    client.force_login(moderator)
    listing = client.get(LIST).content.decode()
    assert a.reference in listing and b.reference in listing
    assert client.get(detail(b)).status_code == 200
    # Narrowed to one station by the filter only supervisors (and multi-station staff) get.
    narrowed = client.get(LIST, {"station": communities[1].station.pk}).content.decode()
    assert b.reference in narrowed and a.reference not in narrowed


def test_unverified_requests_are_never_shown(client, communities, moderator):
    request = make_request(community=communities[0])
    ServiceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.UNVERIFIED)
    client.force_login(moderator)
    assert request.reference not in client.get(LIST, {"status": "all"}).content.decode()
    assert client.get(detail(request)).status_code == 404


def test_editors_have_no_menu_item_and_no_access(client, editor, staff_a):
    client.force_login(editor)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert LIST not in home.content.decode()
    # Wagtail turns the PermissionDenied into a redirect to the dashboard with a message.
    refused = client.get(LIST)
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.get(reverse("servicedesk_admin_list")).status_code == 302

    client.force_login(staff_a)
    assert LIST in client.get("/admin/").content.decode()


def test_anonymous_users_are_sent_to_the_login(client, communities):
    request = make_request(community=communities[0])
    response = client.get(detail(request))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# 首问负责 -----------------------------------------------------------------------------------


def test_take_makes_the_first_responder_the_owner(client, communities, staff_a, colleague_a):
    request = make_request(community=communities[0])
    client.force_login(staff_a)
    response = client.post(step(request, "take"), follow=True)
    assert "您是该诉求的首问负责人" in response.content.decode()
    request.refresh_from_db()
    assert request.owner == staff_a and request.status == RequestStatus.IN_PROGRESS
    event = request.events.get(kind=EventKind.TAKEN)
    assert event.actor == staff_a and event.actor_name == "张伟"

    client.force_login(colleague_a)
    refused = client.post(step(request, "take"))
    assert refused.status_code == 400
    assert "该诉求已由张伟受理。" in refused.content.decode()
    request.refresh_from_db()
    assert request.owner == staff_a
    assert request.events.filter(kind=EventKind.TAKEN).count() == 1


def test_only_the_owner_records_actions(client, communities, staff_a, colleague_a):
    request = taken(make_request(community=communities[0]), staff_a, client)
    client.force_login(colleague_a)
    page = client.get(detail(request)).content.decode()
    assert step(request, "action") not in page  # the form is not offered
    refused = client.post(
        step(request, "action"), {"action-kind": "contacted", "action-note": "已电话联系"}
    )
    assert refused.status_code == 400
    assert "只有负责人可以办理" in refused.content.decode()
    assert not request.events.filter(kind=EventKind.CONTACTED).exists()

    client.force_login(staff_a)
    done = client.post(
        step(request, "action"), {"action-kind": "contacted", "action-note": "已电话联系"}
    )
    assert done.status_code == 302 and done["Location"] == detail(request)
    request.refresh_from_db()
    assert request.first_contact_at is not None
    assert request.events.get(kind=EventKind.CONTACTED).note == "已电话联系"


def test_hand_over_to_a_colleague(client, communities, staff_a, colleague_a):
    request = taken(make_request(community=communities[0]), staff_a, client)
    page = client.get(detail(request)).content.decode()
    assert "李娜" in page  # offered as a colleague to hand over to

    response = client.post(
        step(request, "hand_over"),
        {"hand_over-to_user": colleague_a.pk, "hand_over-reason": "本人轮休，交李娜跟进"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.owner == colleague_a
    event = request.events.get(kind=EventKind.HANDED_OVER)
    assert (event.from_user, event.to_user) == (staff_a, colleague_a)
    assert event.from_station == event.to_station == communities[0].station
    timeline = client.get(detail(request)).content.decode()
    assert "本人轮休，交李娜跟进" in timeline and "移交给" in timeline

    refused = client.post(step(request, "action"), {"action-kind": "note", "action-note": "x"})
    assert refused.status_code == 400 and "只有负责人可以办理" in refused.content.decode()

    client.force_login(colleague_a)
    done = client.post(step(request, "action"), {"action-kind": "visited", "action-note": "已上门"})
    assert done.status_code == 302
    assert request.events.get(kind=EventKind.VISITED).actor == colleague_a


def test_hand_over_to_another_station(client, communities, staff_a, staff_b):
    request = taken(make_request(community=communities[0]), staff_a, client)
    missing_reason = client.post(
        step(request, "hand_over"), {"hand_over-to_station": communities[1].station.pk}
    )
    assert missing_reason.status_code == 400
    request.refresh_from_db()
    assert request.station == communities[0].station

    response = client.post(
        step(request, "hand_over"),
        {"hand_over-to_station": communities[1].station.pk, "hand_over-reason": "属该站管网"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == LIST  # no longer A's to see
    assert "诉求已移交。" in response.content.decode()
    request.refresh_from_db()
    assert request.station == communities[1].station
    assert request.owner is None and request.status == RequestStatus.SUBMITTED
    assert request.reference not in client.get(LIST).content.decode()
    assert client.get(detail(request)).status_code == 404

    client.force_login(staff_b)
    assert request.reference in client.get(LIST, {"untaken": "1"}).content.decode()
    assert step(request, "take") in client.get(detail(request)).content.decode()


def test_supervisors_may_hand_over_any_open_request(
    client, communities, moderator, staff_a, staff_b
):
    request = make_request(community=communities[0])
    client.force_login(moderator)
    page = client.get(detail(request)).content.decode()
    assert step(request, "hand_over") in page and step(request, "close") not in page

    # Only the station's own staff are offered: nothing changes.
    stranger = client.post(
        step(request, "hand_over"),
        {"hand_over-to_user": staff_b.pk, "hand_over-reason": "督办指派"},
    )
    assert stranger.status_code == 400
    request.refresh_from_db()
    assert request.owner is None and not request.events.filter(kind="handed_over").exists()

    done = client.post(
        step(request, "hand_over"),
        {"hand_over-to_user": staff_a.pk, "hand_over-reason": "督办指派"},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.owner == staff_a and request.status == RequestStatus.IN_PROGRESS
    event = request.events.get(kind=EventKind.HANDED_OVER)
    assert (event.actor, event.from_user, event.to_user) == (moderator, None, staff_a)


# 入户测温, 办结, 回访 ----------------------------------------------------------------------------


def temperature_form(**overrides):
    now = timezone.now()
    data = {
        "temperature-room": "主卧",
        "temperature-room_area": "25",
        "temperature-reading_1": "17.5",
        "temperature-reading_2": "18.2",
        "temperature-reading_3": "",
        "temperature-doors_closed_since": local(now - timedelta(hours=4)),
        "temperature-signature": "signed",
        "temperature-measured_at": "",
    }
    data.update({f"temperature-{key}": value for key, value in overrides.items()})
    return data


def test_temperature_reading_follows_seed_004(client, communities, staff_a):
    request = taken(make_request(kind="temperature", community=communities[0]), staff_a, client)

    one_point = client.post(step(request, "temperature"), temperature_form(reading_2=""))
    assert one_point.status_code == 400
    assert "的房间应设2个测温点，请填写2个读数。" in one_point.content.decode()
    assert not TemperatureReading.objects.filter(request=request).exists()

    doors_open = client.post(
        step(request, "temperature"),
        temperature_form(doors_closed_since=local(timezone.now() - timedelta(hours=1))),
    )
    assert "测温前门窗应关闭3小时以上" in doors_open.content.decode()
    assert not TemperatureReading.objects.filter(request=request).exists()

    response = client.post(step(request, "temperature"), temperature_form())
    assert response.status_code == 302
    reading = TemperatureReading.objects.get(request=request)
    assert reading.readings == ["17.5", "18.2"] and reading.average == Decimal("17.9")
    assert reading.room_area == Decimal("25.0")
    page = client.get(detail(request)).content.decode()
    assert "17.5、18.2" in page and "17.9" in page and "不达标" in page
    request.refresh_from_db()
    assert request.first_contact_at == reading.measured_at


def test_close_needs_a_resolution_then_the_return_visit(client, communities, staff_a):
    request = taken(make_request(community=communities[0]), staff_a, client)
    early = client.post(step(request, "return_visit"), {"return_visit-note": "用户满意"})
    assert early.status_code == 400 and "诉求办结后才能回访。" in early.content.decode()

    refused = client.post(step(request, "close"), {"close-resolution": "  "})
    assert refused.status_code == 400
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS

    closed = client.post(step(request, "close"), {"close-resolution": "更换阀门，室温已达标"})
    assert closed.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.resolution == "更换阀门，室温已达标"
    page = client.get(detail(request)).content.decode()
    assert step(request, "return_visit") in page and step(request, "close") not in page

    visited = client.post(step(request, "return_visit"), {"return_visit-note": "用户表示满意"})
    assert visited.status_code == 302
    request.refresh_from_db()
    assert request.return_visited_at is not None
    assert request.events.get(kind=EventKind.RETURN_VISIT).note == "用户表示满意"


def test_closed_request_shows_the_residents_rating(client, communities, staff_a):
    request = taken(make_request(community=communities[0]), staff_a, client)
    client.post(step(request, "close"), {"close-resolution": "已处理"})
    ServiceRequest.objects.filter(pk=request.pk).update(
        rating=2, rating_comment="来得太晚", rated_at=timezone.now()
    )
    page = client.get(detail(request)).content.decode()
    assert "不满意" in page and "来得太晚" in page


# The list -----------------------------------------------------------------------------------


def test_list_filters_and_deadline_states(client, communities, staff_a):
    late = make_request(community=communities[0], submitted_at=timezone.now() - timedelta(days=40))
    fresh = make_request(community=communities[0])
    owned = taken(make_request(community=communities[0]), staff_a, client)

    overdue = client.get(LIST, {"overdue": "1"}).content.decode()
    assert late.reference in overdue and fresh.reference not in overdue
    assert "已超时" in overdue  # said in words, not only by colour

    mine = client.get(LIST, {"mine": "1"}).content.decode()
    assert owned.reference in mine and fresh.reference not in mine

    untaken = client.get(LIST, {"untaken": "1"}).content.decode()
    assert fresh.reference in untaken and owned.reference not in untaken

    found = client.get(LIST, {"q": fresh.reference[-6:].lower()}).content.decode()
    assert fresh.reference in found and late.reference not in found

    client.post(step(owned, "close"), {"close-resolution": "已处理"})
    assert owned.reference not in client.get(LIST).content.decode()  # open ones by default
    assert owned.reference in client.get(LIST, {"status": "closed"}).content.decode()


def test_list_queries_do_not_grow_with_the_rows(client, communities, moderator):
    client.force_login(moderator)
    for _ in range(3):
        make_request(community=communities[0])
    few = queries_for(client, LIST)
    for index in range(27):
        make_request(community=communities[index % 2])
    many = queries_for(client, LIST)
    assert few == many
    assert len(client.get(LIST).context["rows"]) == 30


def test_list_is_paginated(client, communities, moderator):
    client.force_login(moderator)
    for _ in range(51):
        make_request(community=communities[0])
    first = client.get(LIST)
    assert len(first.context["rows"]) == 50
    second = client.get(LIST, {"p": 2})
    assert len(second.context["rows"]) == 1
    assert "共51件诉求。" in second.content.decode()


# The dashboard ------------------------------------------------------------------------------


def test_dashboard_panel_counts(client, communities, staff_a):
    make_request(community=communities[0], submitted_at=timezone.now() - timedelta(days=40))
    make_request(community=communities[0])  # a complaint: contact within 1 hour
    make_request(community=communities[1])  # another station's: not counted
    taken(make_request(kind="temperature", community=communities[0]), staff_a, client)

    panel = client.get("/admin/").content.decode()
    assert "本站待受理" in panel and f"{LIST}?untaken=1" in panel

    with CaptureQueriesContext(connection) as captured:
        counts = dashboard_counts(staff_a, timezone.now())
    assert counts == {"mine": 1, "due_soon": 1, "untaken": 2, "overdue": 1}
    assert len(captured) <= 4  # permissions, stations, one aggregate


def test_no_dashboard_panel_without_the_permission(client, editor):
    client.force_login(editor)
    assert "本站待受理" not in client.get("/admin/").content.decode()


# 节假日安排 ---------------------------------------------------------------------------------


def test_moderators_keep_the_holiday_calendar(client, moderator):
    client.force_login(moderator)
    add = reverse("wagtailsnippets_servicedesk_calendarday:add")
    response = client.post(add, {"date": "2031-10-01", "kind": DayKind.HOLIDAY, "name": "国庆节"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2031, 10, 1)).name == "国庆节"
    CalendarDay.objects.create(date=date(2031, 9, 28), kind=DayKind.WORKDAY, name="国庆节调休")

    listing = reverse("wagtailsnippets_servicedesk_calendarday:list")
    shown = client.get(listing, {"year": 2031}).context["object_list"]
    assert [day.name for day in shown] == ["国庆节调休", "国庆节"]  # sorted by date
    holidays = client.get(listing, {"year": 2031, "kind": DayKind.HOLIDAY}).context["object_list"]
    assert [day.name for day in holidays] == ["国庆节"]
