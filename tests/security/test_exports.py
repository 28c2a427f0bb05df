"""Subscriber data: only the 审核 group sees and downloads it, numbers stay masked in the file,
and every download is recorded (who, when, how many rows, which filters), never a number; no
number reaches the logs on the way in, out (texts) or when leaving."""

import csv
import hashlib
import hmac
import io
import json
import logging
import re
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from alerts.enums import SubscriberStatus
from alerts.models import Subscriber, SubscriberExport
from contacts.models import Community
from sms.backends import locmem
from tests.factories.alerts import make_subscriber
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

LISTING = "/admin/snippets/alerts/subscriber/"
ACTION = "alerts.export_subscribers"


@pytest.fixture
def subscribers():
    community = Community.objects.get(code="LY-0001")
    community.name = '=HYPERLINK("http://evil.example/","点我")'  # a formula, as a name
    community.save()
    return [
        make_subscriber([community], phone="13912340001"),
        make_subscriber(phone="13912340002"),
        make_subscriber(phone="13912340003", status=SubscriberStatus.UNSUBSCRIBED),
    ]


HISTORY = "/admin/reports/site-history/"


def signed_in(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def test_a_moderator_downloads_a_masked_csv_and_it_is_logged(moderator, subscribers):
    response = signed_in(moderator).get(LISTING, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="sms-subscribers.csv"'
    header, *rows = rows_of(response)
    assert header[:3] == ["编号", "手机号（已隐藏）", "状态"]
    assert len(rows) == Subscriber.objects.count()
    phones = {row[1] for row in rows}
    assert {"139****0001", "139****0002", "139****0003"} <= phones
    assert not any(
        s.phone in cell for s in Subscriber.objects.all() for row in rows for cell in row
    )
    first = next(row for row in rows if row[1] == "139****0001")
    assert first[3].startswith("'=HYPERLINK")  # not a formula when opened in a spreadsheet

    export = SubscriberExport.objects.get()
    assert (export.user, export.username, export.rows, export.file_format) == (
        moderator,
        "moderator",
        len(rows),
        "csv",
    )
    entry = ModelLogEntry.objects.get(action=ACTION)
    assert (entry.user, entry.object_id, entry.data["rows"]) == (
        moderator,
        str(export.pk),
        len(rows),
    )
    logged = json.dumps(entry.data) + entry.label + json.dumps(export.filters)
    assert not any(s.phone[3:] in logged for s in subscribers)


def test_filters_and_searches_are_recorded_but_not_the_number(moderator, subscribers):
    client = signed_in(moderator)
    response = client.get(LISTING, {"export": "csv", "status": "active"})
    active = Subscriber.objects.filter(status=SubscriberStatus.ACTIVE).count()
    assert len(rows_of(response)) - 1 == active
    assert SubscriberExport.objects.get().filters == {"status": ["active"], "searched": False}

    response = client.get(LISTING, {"export": "xlsx", "q": "13912340002"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "139****0002" in values and "13912340002" not in values
    export = SubscriberExport.objects.latest("pk")
    assert (export.file_format, export.filters) == ("xlsx", {"searched": True})
    entry = ModelLogEntry.objects.filter(action=ACTION).latest("pk")
    assert "13912340002" not in json.dumps(entry.data) + entry.label


def test_exports_show_in_the_site_history_for_moderators_only(moderator, editor, subscribers):
    signed_in(moderator).get(LISTING, {"export": "csv"})
    # Filtered to the action: the demo's own history may be longer than a page.
    history = signed_in(moderator).get(HISTORY, {"action": ACTION}).content.decode()
    assert "导出短信订阅用户" in history
    assert f"导出短信订阅用户{Subscriber.objects.count()}条（CSV）" in history
    assert (
        "导出短信订阅用户"
        not in signed_in(editor).get(HISTORY, {"action": ACTION}).content.decode()
    )


def test_editors_and_visitors_get_no_subscriber_data(client, editor, subscribers):
    for user_client in (signed_in(editor), client):
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            response = user_client.get(LISTING, params)
            assert response.status_code == 302
            assert b"139" not in response.content
    assert not SubscriberExport.objects.exists()
    assert not ModelLogEntry.objects.filter(action=ACTION).exists()


def test_viewing_the_list_does_not_allow_downloading_it(django_user_model, subscribers):
    """Downloading is a permission of its own: a group may be allowed to look but not export."""
    viewers = Group.objects.create(name="查看订阅")
    viewers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_subscriber"),
    )
    user = django_user_model.objects.create_user("viewer", password="pw-viewer")
    user.groups.add(viewers)
    client = signed_in(user)
    listing = client.get(LISTING)
    assert listing.status_code == 200 and "export=csv" not in listing.content.decode()
    refused = client.get(LISTING, {"export": "csv"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "denied"
    assert not SubscriberExport.objects.exists()


def test_the_moderator_listing_offers_the_download(moderator, editor):
    assert moderator.has_perm("alerts.export_subscriber")
    assert not editor.has_perm("alerts.export_subscriber")
    assert not editor.has_perm("alerts.view_subscriber")
    listing = signed_in(moderator).get(LISTING).content.decode()
    assert "export=csv" in listing


def test_a_number_never_reaches_the_logs(client, caplog, django_capture_on_commit_callbacks):
    phone = "13912349876"
    community = Community.objects.get(code="LY-0001")
    signup = {"phone": phone, "utilities": ["water"], "communities": "LY-0001", "consent": "on"}
    body = json.dumps({"phone_number": phone, "content": "退订"}).encode()
    signature = hmac.new(b"test-inbound-secret", body, hashlib.sha256).hexdigest()
    start = timezone.now() + timedelta(minutes=5)
    locmem.reset()
    with caplog.at_level(logging.DEBUG):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/sms/subscribe/", signup).status_code == 302
        code = re.search(r"验证码是(\d{6})", locmem.outbox[-1][1].text).group(1)
        client.post("/sms/verify/", {"code": "000000" if code != "000000" else "111111"})
        assert "订阅成功" in client.post("/sms/verify/", {"code": code}).content.decode()
        assert client.post("/sms/subscribe/", signup).status_code == 429  # too many codes
        with django_capture_on_commit_callbacks(execute=True):
            make_notice(
                communities=[community],
                kind="emergency",
                starts_at=start,
                ends_at=start + timedelta(hours=12),
            )
        reply = client.post(
            "/sms/inbound/", body, "application/json", headers={"X-Signature": signature}
        )
        assert reply.status_code == 200
    # The number was really used: its code, and the outage text.
    sent_to = [numbers for numbers, *_ in locmem.outbox]
    assert sent_to[0] == (phone,) and any(phone in numbers for numbers in sent_to[1:])
    assert Subscriber.objects.get(phone=phone).status == SubscriberStatus.UNSUBSCRIBED
    assert caplog.records  # something was logged
    for record in caplog.records:
        assert phone[3:] not in record.getMessage(), record.getMessage()
