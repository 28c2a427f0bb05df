"""Double opt-in, unsubscribe by link and by reply, rate limits, and who sees the numbers."""

import hashlib
import hmac
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.enums import SubscriberStatus, UnsubscribeReason
from alerts.models import Subscriber
from alerts.tasks import purge_unsubscribed
from config.schedules import SCHEDULES, ensure_schedules
from contacts.models import Community
from notices.enums import Utility
from sms.models import VerificationCode
from tests.factories.alerts import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
PHONE = "13900001234"


def subscribe(client, phone=PHONE, communities="LY-0001", **extra):
    data = {
        "phone": phone,
        "utilities": ["heat", "water"],
        "communities": communities,
        "consent": "on",
        **extra,
    }
    return client.post(reverse("alerts_subscribe"), data)


def sent_code(outbox) -> str:
    return re.search(r"验证码是(\d{6})", outbox[-1][1].text).group(1)


def test_double_opt_in(client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == reverse("alerts_verify")
    assert outbox[-1][0] == (PHONE,)
    subscriber = Subscriber.objects.get(phone=PHONE)
    assert subscriber.status == SubscriberStatus.PENDING
    assert not subscriber.communities.exists()  # nothing applies before the code is typed

    page = client.get(reverse("alerts_verify")).content.decode()
    assert "139****1234" in page and PHONE not in page
    wrong = "000000" if sent_code(outbox) != "000000" else "111111"
    assert "验证码不正确" in client.post(reverse("alerts_verify"), {"code": wrong}).content.decode()
    response = client.post(reverse("alerts_verify"), {"code": sent_code(outbox)})
    assert "订阅成功" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE and subscriber.verified_at
    assert list(subscriber.communities.values_list("code", flat=True)) == ["LY-0001"]
    assert subscriber.utilities == [Utility.HEAT, Utility.WATER]
    assert not VerificationCode.objects.filter(phone=PHONE, used_at=None).exists()


def test_bad_input_gets_chinese_messages_and_changes_nothing(client):
    for phone, message in [
        ("12345", "请填写正确的手机号码"),
        ("043188881234", "只能用手机号码订阅短信"),
    ]:
        response = subscribe(client, phone=phone)
        assert response.status_code == 400
        assert (
            message in response.content.decode()
            or "中国大陆的手机号码" in response.content.decode()
        )
    response = client.post(reverse("alerts_subscribe"), {"phone": PHONE, "utilities": ["heat"]})
    assert "请勾选同意接收短信" in response.content.decode()
    assert not Subscriber.objects.filter(phone=PHONE).exists()


def test_a_code_typed_in_full_width_digits_is_accepted(
    client, outbox, django_capture_on_commit_callbacks
):
    """Chinese input methods type １２３４５６: NFKC makes it the code, and no attempt is burnt."""
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client)
    code = sent_code(outbox)
    full_width = " ".join(chr(ord(digit) + 0xFEE0) for digit in code)  # "１ ２ ３ ４ ５ ６"
    response = client.post(reverse("alerts_verify"), {"code": full_width})
    assert "订阅成功" in response.content.decode()
    assert Subscriber.objects.get(phone=PHONE).status == SubscriberStatus.ACTIVE


def test_digits_of_other_scripts_are_not_a_code(client, outbox, django_capture_on_commit_callbacks):
    """`\\d` takes Arabic-Indic digits: refused by the form, so no attempt is burnt either."""
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client)
    arabic = "".join(chr(ord(digit) - ord("0") + 0x0660) for digit in sent_code(outbox))
    response = client.post(reverse("alerts_verify"), {"code": arabic})
    assert response.status_code == 400 and "验证码是6位数字" in response.content.decode()
    assert VerificationCode.objects.get(phone=PHONE, used_at=None).attempts == 0


@pytest.mark.parametrize(
    "phone",
    ["😀𠀀13800000000", "13800000505#1234", "tel:13800000000", "13800000000x", "١٣٨٠٠٠٠٠٠٠٠"],
)
def test_phone_numbers_with_anything_else_around_them_are_refused(client, phone):
    response = subscribe(client, phone=phone)
    assert response.status_code == 400 and "请填写正确的手机号码" in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "phone",
    [
        "１３９ ０００ ０１２３４",
        "+86 139-0000-1234",
        "0086 (139) 0000 1234",
        "＋８６ １３９００００１２３４",
    ],
)
def test_phone_numbers_as_people_type_them_are_accepted(client, phone):
    assert subscribe(client, phone=phone).status_code == 302
    assert Subscriber.objects.filter(phone=PHONE).exists()


def test_codes_expire_and_attempts_are_limited(client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client)
    for _ in range(5):
        client.post(
            reverse("alerts_verify"),
            {"code": "999999" if sent_code(outbox) != "999999" else "888888"},
        )
    response = client.post(reverse("alerts_verify"), {"code": sent_code(outbox)})
    assert "错误次数过多" in response.content.decode()
    VerificationCode.objects.update(attempts=0, expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        "验证码已失效"
        in client.post(reverse("alerts_verify"), {"code": sent_code(outbox)}).content.decode()
    )


def test_rate_limits_per_number_and_per_ip(client, django_capture_on_commit_callbacks, clock):
    clock("2026-12-04T10:15")
    with django_capture_on_commit_callbacks(execute=True):
        assert subscribe(client).status_code == 302
        again = subscribe(client)
    assert again.status_code == 429 and "验证码发送太频繁" in again.content.decode()
    assert 59 <= int(again["Retry-After"]) <= 60  # the minute of the last code
    for index in range(12):
        response = subscribe(Client(REMOTE_ADDR="10.0.0.9"), phone=f"1390000{index + 1:04d}")
    assert response.status_code == 429 and "操作太频繁" in response.content.decode()
    assert 2690 <= int(response["Retry-After"]) <= 2700  # the end of the clock hour


def test_subscribe_needs_csrf(django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    assert subscribe(strict).status_code == 403


def test_subscribe_form_is_on_community_and_notice_pages(client):
    community_page = client.get("/directory/LY-0001/").content.decode()
    assert 'action="/sms/subscribe/"' in community_page and 'value="LY-0001"' in community_page
    assert "csrfmiddlewaretoken" in community_page
    notice_page = client.get("/notices/xingyu-east-pump-station-water/").content.decode()
    assert 'action="/sms/subscribe/"' in notice_page


def test_unsubscribe_link_needs_a_post(client):
    subscriber = make_subscriber([Community.objects.get(code="LY-0001")])
    url = reverse("alerts_unsubscribe", args=(subscriber.token,))
    page = client.get(url)
    assert "确认退订" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    done = client.post(url)
    # The token in the address is the subscriber's: no cache, no search engine, no Referer.
    for response in (page, done):
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex"
        assert response["Referrer-Policy"] == "same-origin"
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribe_reason) == (
        SubscriberStatus.UNSUBSCRIBED,
        UnsubscribeReason.LINK,
    )


def signed(body: dict, secret="test-inbound-secret"):
    raw = json.dumps(body, ensure_ascii=False).encode()
    return raw, hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("reply", ["退订", "TD", " t ", "td"])
def test_replying_unsubscribe_words_unsubscribes(client, reply):
    subscriber = make_subscriber()
    raw, signature = signed(
        {"phone_number": subscriber.phone, "content": reply, "send_time": "2026-11-23 08:00:00"}
    )
    response = client.post(
        reverse("alerts_inbound"), raw, content_type="application/json", HTTP_X_SIGNATURE=signature
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribe_reason) == (
        SubscriberStatus.UNSUBSCRIBED,
        UnsubscribeReason.REPLY,
    )


def test_inbound_webhook_is_authenticated_and_ignores_other_replies(client):
    subscriber = make_subscriber()
    raw, _ = signed({"phone_number": subscriber.phone, "content": "退订"})
    forged = client.post(
        reverse("alerts_inbound"), raw, content_type="application/json", HTTP_X_SIGNATURE="0" * 64
    )
    assert forged.status_code == 403
    raw, signature = signed({"phone_number": subscriber.phone, "content": "谢谢通知"})
    client.post(
        reverse("alerts_inbound"), raw, content_type="application/json", HTTP_X_SIGNATURE=signature
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def test_numbers_are_masked_and_only_moderators_see_them(client, editor, moderator):
    subscriber = make_subscriber(phone="13812341234")
    listing = "/admin/snippets/alerts/subscriber/"
    client.force_login(editor)
    assert client.get(listing).status_code in (302, 403)
    client.force_login(moderator)
    body = client.get(listing).content.decode()
    assert "138****1234" in body and "13812341234" not in body
    found = client.get(listing, {"q": "13812341234"}).content.decode()
    assert "138****1234" in found
    assert subscriber.pk


def test_retention_purges_people_who_left(client):
    left_long_ago = make_subscriber(status=SubscriberStatus.UNSUBSCRIBED)
    Subscriber.objects.filter(pk=left_long_ago.pk).update(
        unsubscribed_at=timezone.now() - timedelta(days=31)
    )
    left_recently = make_subscriber(status=SubscriberStatus.UNSUBSCRIBED)
    Subscriber.objects.filter(pk=left_recently.pk).update(
        unsubscribed_at=timezone.now() - timedelta(days=2)
    )
    stale_signup = make_subscriber(status=SubscriberStatus.PENDING)
    Subscriber.objects.filter(pk=stale_signup.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    active = make_subscriber()
    result = purge_unsubscribed()
    assert result["unsubscribed"] >= 1 and result["unconfirmed"] >= 1
    remaining = set(Subscriber.objects.values_list("pk", flat=True))
    assert {left_recently.pk, active.pk} <= remaining
    assert not {left_long_ago.pk, stale_signup.pk} & remaining


def test_schedules_are_created_once_by_name():
    from django_q.models import Schedule

    ensure_schedules()
    ensure_schedules()
    names = list(Schedule.objects.filter(name__in=SCHEDULES).values_list("name", flat=True))
    assert sorted(names) == sorted(SCHEDULES)
    assert Schedule.objects.get(name="notices-advance-by-clock").minutes == 1
