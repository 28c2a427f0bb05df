"""Column review: a column's period ends at the close of its Nth working day (the service desk's
holiday calendar) after the first change no review has followed; an overdue column shows on
审核's dashboard and is e-mailed to 审核 at most once a day; only 审核 marks a column reviewed
or sets its period, by a POST carrying the CSRF token."""

import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalogue.models import CatalogueChange, CatalogueItem, ChangeAction
from disclosure import review, tasks
from disclosure.models import ColumnReview, ReviewReminder
from servicedesk.calendar import WorkingCalendar
from servicedesk.enums import DayKind
from servicedesk.models import CalendarDay
from tests.disclosure.records import at, make_change, make_item

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REVIEWS = "/admin/disclosure/reviews/"
PANEL = "信息公开栏目超期未审核"

# 国务院办公厅's 2026 arrangement around 中秋节 and 国庆节: days off, and the Sundays and
# Saturdays worked for them.
OFF = [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)] + [
    date(2026, 10, day) for day in range(1, 8)
]
WORKED = [date(2026, 9, 20), date(2026, 10, 10)]
CALENDAR = WorkingCalendar({**dict.fromkeys(OFF, False), **dict.fromkeys(WORKED, True)})

# A change on Thursday 24 September, the day before 中秋: its 20th working day is Thursday
# 29 October (28, 29, 30 September; 8, 9, the worked Saturday 10 October; then 14 days), so the
# period ends at midnight that closes it. Counting Monday to Friday only, it would end a week
# earlier, on 22 October.
CHANGED = "2026-09-24 15:00"
DUE = at("2026-10-30 00:00")


@pytest.fixture(autouse=True)
def known_records():
    """Only this module's records and this calendar, whatever the demo database holds."""
    CatalogueChange.objects.all().delete()
    CatalogueItem.objects.all().delete()
    CalendarDay.objects.filter(date__year=2026).delete()
    for day in OFF:
        CalendarDay.objects.create(date=day, kind=DayKind.HOLIDAY, name="中秋节、国庆节")
    for day in WORKED:
        CalendarDay.objects.create(date=day, kind=DayKind.WORKDAY, name="国庆节调休上班")


def status_of(column: str, now: str) -> review.ColumnStatus:
    statuses = {status.column: status for status in review.column_statuses(at(now))}
    return statuses[column]


def changed(column: str, when: str = CHANGED) -> CatalogueItem:
    item = make_item(column, when)
    make_change(item, when, ChangeAction.CREATED)
    return item


# The period ----------------------------------------------------------------------------------


def test_the_period_counts_the_working_days_of_the_holiday_calendar():
    assert review.due_after(at(CHANGED), 20, CALENDAR) == DUE
    assert review.due_after(at(CHANGED), 20, WorkingCalendar()) == at("2026-10-23 00:00")
    # A change late on a Friday before a worked Saturday: that Saturday is its first day.
    assert review.due_after(at("2026-10-09 23:30"), 1, CALENDAR) == at("2026-10-11 00:00")


def test_a_changed_column_is_overdue_from_the_end_of_its_period():
    changed("safety")
    assert status_of("guides", "2026-10-29 23:59").state == review.UNCHANGED  # never changed
    pending = status_of("safety", "2026-10-29 23:59")
    assert pending.state == review.PENDING and pending.due == DUE
    assert pending.last_change == pending.unreviewed_since == at(CHANGED)
    overdue = status_of("safety", "2026-10-30 00:00")
    assert overdue.state == review.OVERDUE and overdue.overdue


def test_the_calendar_of_the_service_desk_is_read(clock):
    clock("2026-10-26T09:00")
    changed("safety")
    assert review.overdue_columns() == []  # by Monday to Friday alone it would be overdue


def test_a_review_covers_every_change_before_it_and_later_changes_start_a_new_period(moderator):
    changed("safety")
    review.mark_reviewed("safety", moderator, now=at("2026-10-12 10:00"))
    reviewed = status_of("safety", "2026-11-30 10:00")
    assert reviewed.state == review.UNCHANGED and reviewed.reviewed_by == "moderator"
    # A change after the review: 20 working days from Wednesday 21 October end on 17 November.
    item = changed("safety", "2026-10-20 10:00")
    assert status_of("safety", "2026-11-17 23:59").due == at("2026-11-18 00:00")
    # Changing again does not push the end back: the first unreviewed change set it.
    make_change(item, "2026-11-16 09:00")
    status = status_of("safety", "2026-11-18 00:00")
    assert status.overdue and status.last_change == at("2026-11-16 09:00")
    review.mark_reviewed("safety", moderator, now=at("2026-11-19 08:00"))
    assert status_of("safety", "2026-11-19 08:01").state == review.UNCHANGED


def test_a_withdrawal_in_the_change_log_is_a_change():
    item = make_item("complaints", "2026-09-01 10:00", in_catalogue=False)
    make_change(item, CHANGED, ChangeAction.WITHDRAWN)
    status = status_of("complaints", "2026-10-30 00:00")
    assert status.unreviewed_since == at("2026-09-01 10:00")  # the item's own time counts too
    assert status.last_change == at(CHANGED) and status.overdue


def test_each_column_has_its_own_period():
    changed("safety")
    changed("guides")
    review.set_period("safety", 5)  # 28, 29, 30 September, 8 and 9 October
    assert status_of("safety", CHANGED).due == at("2026-10-10 00:00")
    assert status_of("guides", CHANGED).due == DUE
    assert not ColumnReview.objects.filter(column="guides").exists()  # the default period
    assert status_of("guides", CHANGED).review_days == ColumnReview.DEFAULT_DAYS == 20


# The dashboard -------------------------------------------------------------------------------


def test_overdue_columns_show_on_the_dashboard_of_the_reviewers(client, clock, moderator, editor):
    clock("2026-10-30T08:00")
    changed("safety")
    changed("guides", "2026-10-28 10:00")  # within its period
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert PANEL in html and f"{REVIEWS}#review-safety" in html
    assert "已于2026年10月30日 0:00到期" in html
    assert f"{REVIEWS}#review-guides" not in html
    client.force_login(editor)
    assert PANEL not in client.get("/admin/").content.decode()


def test_no_panel_when_nothing_is_overdue(client, clock, moderator):
    clock("2026-10-29T08:00")
    changed("safety")
    client.force_login(moderator)
    assert PANEL not in client.get("/admin/").content.decode()


# The daily e-mail ----------------------------------------------------------------------------


@pytest.fixture
def reviewers(moderator, editor):
    moderator.email = "shenhe@example.cn"
    moderator.save()
    editor.email = "bianji@example.cn"  # not a reviewer: never e-mailed
    editor.save()
    return moderator


def review_mail():
    return [message for message in mail.outbox if message.subject.startswith("【信息公开】")]


def test_the_daily_email_goes_once_a_day_per_column(clock, reviewers):
    clock("2026-10-30T07:00")
    changed("safety")
    assert tasks.remind_overdue_reviews() == {"columns": ["safety"], "recipients": 1}
    [message] = review_mail()
    assert message.to == ["shenhe@example.cn"]
    assert message.subject == "【信息公开】1个栏目已超过审核期限"
    assert "安全常识：2026年9月24日 15:00起变更未审核" in message.body
    assert "http://testserver/admin/disclosure/reviews/" in message.body

    clock.shift(timedelta(hours=2))  # the job run again the same day: nothing more
    assert tasks.remind_overdue_reviews() == {"columns": [], "recipients": 1}
    changed("guides", "2026-09-25 10:00")  # another column overdue since: that one alone
    assert tasks.remind_overdue_reviews()["columns"] == ["guides"]
    assert len(review_mail()) == 2
    assert ReviewReminder.objects.filter(day=date(2026, 10, 30)).count() == 2

    clock("2026-10-31T07:00")  # the next day: both again, in one e-mail (catalogue order)
    assert tasks.remind_overdue_reviews()["columns"] == ["guides", "safety"]
    assert len(review_mail()) == 3

    review.mark_reviewed("safety", reviewers)
    review.mark_reviewed("guides", reviewers)
    clock("2026-11-01T07:00")
    assert tasks.remind_overdue_reviews() == {"columns": [], "recipients": 0}
    assert len(review_mail()) == 3


def test_a_failed_send_is_tried_again_on_the_next_run(clock, reviewers, monkeypatch):
    clock("2026-10-30T07:00")
    changed("safety")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(tasks, "get_connection", refuse)
    assert tasks.remind_overdue_reviews() == {"columns": [], "recipients": 0}
    assert not ReviewReminder.objects.exists()  # the claim went with the failed send
    monkeypatch.undo()
    assert tasks.remind_overdue_reviews()["columns"] == ["safety"]
    assert len(review_mail()) == 1


# Marking reviewed ----------------------------------------------------------------------------


def mark_url(column: str) -> str:
    return reverse("disclosure_mark_reviewed", args=[column])


def test_reviewers_mark_a_column_reviewed(client, clock, moderator):
    clock("2026-10-30T09:30", tick=False)
    changed("safety")
    client.force_login(moderator)
    page = client.get(REVIEWS).content.decode()
    assert "已超期" in page and mark_url("safety") in page
    response = client.post(mark_url("safety"), follow=True)
    assert response.redirect_chain[-1][0] == REVIEWS
    assert "已将“安全常识”栏目标记为已审核。" in response.content.decode()
    saved = ColumnReview.objects.get(column="safety")
    assert saved.reviewed_by == moderator and saved.reviewed_at == at("2026-10-30 09:30")
    assert not status_of("safety", "2026-10-30 09:31").overdue
    assert client.get(mark_url("safety")).status_code == 405  # a GET changes nothing
    assert client.post(mark_url("nonsense")).status_code == 404


def test_editors_may_not_review(client, editor):
    client.force_login(editor)
    # Wagtail turns the PermissionDenied into a redirect to the dashboard.
    assert client.get(REVIEWS)["Location"] == "/admin/"
    response = client.post(mark_url("safety"))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(
        reverse("disclosure_review_period"), {"column": "safety", "review_days": 1}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not ColumnReview.objects.exists()
    assert REVIEWS not in client.get("/admin/").content.decode()  # no menu item


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.post(mark_url("safety"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not ColumnReview.objects.exists()


def test_marking_reviewed_needs_the_csrf_token(moderator):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert strict.post(mark_url("safety")).status_code == 403
    assert not ColumnReview.objects.exists()
    strict.get(REVIEWS)  # sets the CSRF cookie, as the page's forms carry the token
    token = strict.cookies["csrftoken"].value
    response = strict.post(mark_url("safety"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ColumnReview.objects.get(column="safety").reviewed_by == moderator


def test_reviewers_set_a_columns_period(client, moderator):
    client.force_login(moderator)
    url = reverse("disclosure_review_period")
    response = client.post(url, {"column": "safety", "review_days": "10"}, follow=True)
    assert "“安全常识”栏目的审核期限已改为10个工作日。" in response.content.decode()
    assert ColumnReview.objects.get(column="safety").review_days == 10
    response = client.post(url, {"column": "safety", "review_days": "0"}, follow=True)
    assert "审核期限应为1至120个工作日。" in response.content.decode()
    assert ColumnReview.objects.get(column="safety").review_days == 10
