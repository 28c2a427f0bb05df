"""iCalendar files of the notices: each parses, an event keeps its UID through renames and
updates while SEQUENCE counts them, and a community's calendar holds its own notices only."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from notices.models import OutageNoticePage
from tests.factories.contacts import make_community
from tests.factories.notices import make_notice
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def get_calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('inline; filename="')
    assert response["Cache-Control"] == "public, max-age=300"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    return calendar


def only_event(client, notice):
    calendar = get_calendar(client, f"/calendar/notices/{notice.pk}.ics")
    [event] = calendar.walk("VEVENT")
    return event


def reload(notice):
    return OutageNoticePage.objects.get(pk=notice.pk)


def test_a_notice_is_one_event_with_its_facts(client):
    notice = reload(make_notice(households=120))
    calendar = get_calendar(client, f"/calendar/notices/{notice.pk}.ics")
    assert "停水：测试泵站" in str(calendar["X-WR-CALNAME"])
    [event] = calendar.walk("VEVENT")

    assert str(event["UID"]) == f"notice-{notice.pk}@localhost"
    assert event.decoded("DTSTART") == notice.starts_at
    assert event.decoded("DTEND") == notice.current_ends_at
    assert event.decoded("DTSTAMP") == notice.changed_at.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == notice.changed_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "停水：测试泵站（预告）"
    assert str(event["LOCATION"]) == notice.boundary_display
    assert str(event["URL"]) == f"http://localhost{notice.url}"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    description = str(event["DESCRIPTION"])
    assert "管网检修" in description and "120户" in description


def test_an_unknown_end_is_shown_a_day_long_and_said_to_be_unknown(client):
    notice = make_notice(ends_at=None)
    event = only_event(client, notice)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1)
    assert "恢复时间待定" in str(event["DESCRIPTION"])


def test_the_uid_survives_a_new_slug_and_updates_while_sequence_counts_them(client):
    notice = make_notice()
    before = only_event(client, notice)

    renamed = reload(notice)
    renamed.slug = "renamed-notice"
    renamed.save_revision().publish()
    after_rename = only_event(client, notice)
    assert str(after_rename["URL"]).endswith("/renamed-notice/")

    record_update(
        notice.pk, UpdateKind.EXTENDED, new_ends_at=notice.current_ends_at + timedelta(hours=4)
    )
    extended = only_event(client, notice)
    record_update(notice.pk, UpdateKind.INFO, text="抢修人员已到场")
    informed = only_event(client, notice)

    uids = {str(event["UID"]) for event in (before, after_rename, extended, informed)}
    assert uids == {f"notice-{notice.pk}@localhost"}
    assert [event["SEQUENCE"] for event in (before, extended, informed)] == [0, 1, 2]
    assert extended.decoded("DTEND") == reload(notice).current_ends_at


def test_a_cancelled_notice_is_a_cancelled_event(client):
    notice = make_notice()
    record_update(notice.pk, UpdateKind.CANCELLED, text="检修计划调整")
    event = only_event(client, notice)
    assert str(event["STATUS"]) == "CANCELLED"
    assert "已取消" in str(event["SUMMARY"])


def test_an_unchanged_calendar_is_not_modified(client):
    notice = make_notice()
    url = f"/calendar/notices/{notice.pk}.ics"
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=300"
    record_update(notice.pk, UpdateKind.INFO, text="进展")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_drafts_and_unknown_notices_have_no_calendar(client):
    draft = make_notice(publish=False)
    assert client.get(f"/calendar/notices/{draft.pk}.ics").status_code == 404
    assert client.get("/calendar/notices/987654.ics").status_code == 404


def community_uids(client, community) -> set[str]:
    calendar = get_calendar(client, f"/calendar/community/{community.code}.ics")
    assert community.name in str(calendar["X-WR-CALNAME"])
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def uid(notice) -> str:
    return f"notice-{notice.pk}@localhost"


def test_a_community_calendar_holds_its_current_and_recent_notices_only(client):
    ours, theirs = make_community(), make_community()
    now = timezone.now()
    upcoming = make_notice(communities=[ours])
    shared = make_notice(communities=[ours, theirs])
    unknown_end = make_notice(communities=[ours], starts_at=now - timedelta(days=60), ends_at=None)
    recent = make_notice(
        communities=[ours], starts_at=now - timedelta(days=10), ends_at=now - timedelta(days=9)
    )
    cancelled = make_notice(communities=[ours])
    record_update(cancelled.pk, UpdateKind.CANCELLED)
    long_ago = make_notice(
        communities=[ours], starts_at=now - timedelta(days=45), ends_at=now - timedelta(days=44)
    )
    elsewhere = make_notice(communities=[theirs])
    draft = make_notice(communities=[ours], publish=False)

    uids = community_uids(client, ours)
    assert uids == {uid(n) for n in (upcoming, shared, unknown_end, recent, cancelled)}
    assert not uids & {uid(n) for n in (long_ago, elsewhere, draft)}
    assert community_uids(client, theirs) == {uid(shared), uid(elsewhere)}


def test_a_community_calendar_changes_when_a_notice_is_added(client):
    community = make_community()
    make_notice(communities=[community])
    url = f"/calendar/community/{community.code}.ics"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_notice(communities=[community])
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_unknown_community_has_no_calendar(client):
    assert client.get("/calendar/community/NO-SUCH-CODE.ics").status_code == 404


def test_a_community_calendar_costs_the_same_queries_however_many_notices(client):
    community = make_community()
    make_notice(communities=[community])
    url = f"/calendar/community/{community.code}.ics"
    before = queries_for(client, url)
    for _ in range(3):
        notice = make_notice(communities=[community, make_community()])
        record_update(notice.pk, UpdateKind.INFO, text="进展")
    assert queries_for(client, url) == before
    assert before <= 8
