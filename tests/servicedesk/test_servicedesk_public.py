"""The residents' side of the service desk: the forms per kind, the SMS code, the tracking page
and the rating; bad input and floods refused in Chinese with nothing created; no personal data
on public pages; the query budget."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commitments.models import CommitmentPage
from contacts.models import Community
from core.formatting import format_datetime
from servicedesk import workflow
from servicedesk.enums import EventKind, RequestKind, RequestStatus, Satisfaction, Signature
from servicedesk.kinds import RULES
from servicedesk.models import ServiceRequest
from tests.factories.servicedesk import make_request, make_station_staff
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

COMMUNITY = "LY-0001"  # 星宇小区
PHONE = "13900005678"
DESCRIPTION = "卧室暖气片上热下凉，夜里只有16度，请派人查看。"
ADDRESS = "7号楼3单元602"
ACCOUNT = "JY20260042"
CJK = re.compile(r"[\u4e00-\u9fff]")


def form_url(kind=RequestKind.COMPLAINT) -> str:
    return reverse("servicedesk_form", args=(kind.value,))


def form_data(kind=RequestKind.COMPLAINT, **overrides) -> dict:
    rule = RULES[kind]
    data = {"community": COMMUNITY, "description": DESCRIPTION, "phone": PHONE}
    if rule.asks_address:
        data["address"] = ADDRESS
    if rule.asks_account:
        data["account_number"] = ACCOUNT
    return {**data, **overrides}


def submit(client, kind=RequestKind.COMPLAINT, **overrides):
    return client.post(form_url(kind), form_data(kind, **overrides))


def sent_code(outbox) -> str:
    return re.search(r"验证码是(\d{6})", outbox[-1][1].text).group(1)


def other_code(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def closed_request(**fields) -> ServiceRequest:
    service_request = make_request(**fields)
    staff = make_station_staff(service_request.station, first_name="王师傅")
    workflow.take(service_request, staff)
    workflow.close(service_request, staff, "已上门排气，室温恢复到20度。")
    service_request.refresh_from_db()
    return service_request


# The journey --------------------------------------------------------------------------------


def test_index_lists_the_kinds_with_their_published_promises(client):
    page = client.get(reverse("servicedesk_index")).content.decode()
    for kind in RequestKind:
        assert str(kind.label) in page
        assert form_url(kind) in page
        assert str(RULES[kind].summary) in page
    # 投诉建议: 1 hour to contact (its own row), 24 hours to answer (第十二条).
    assert "1小时内" in page and "24小时内" in page
    assert "责任部门或供暖管家1小时内与用户联系" in page
    assert "7个工作日内" in page  # 在线报停
    assert 'action="/service/lookup/"' in page and "/service/compliance/" in page


def test_the_whole_journey(client, outbox, django_capture_on_commit_callbacks):
    community = Community.objects.select_related("station").get(code=COMMUNITY)
    page = client.get(form_url() + f"?community={COMMUNITY}").content.decode()
    assert community.name in page and community.station.name in page
    assert f'name="community" value="{COMMUNITY}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302 and response["Location"] == reverse("servicedesk_verify")
    pending = ServiceRequest.objects.get(phone=PHONE)
    assert pending.status == RequestStatus.UNVERIFIED
    assert outbox[-1][0] == (PHONE,)

    verify_page = client.get(reverse("servicedesk_verify"))
    assert "139****5678" in verify_page.content.decode()
    assert PHONE not in verify_page.content.decode()
    assert "no-store" in verify_page["Cache-Control"]
    response = client.post(reverse("servicedesk_verify"), {"code": sent_code(outbox)})
    track_url = reverse("servicedesk_track", args=(pending.tracking_token,))
    assert response.status_code == 302 and response["Location"] == track_url

    service_request = ServiceRequest.objects.get(pk=pending.pk)
    assert service_request.status == RequestStatus.SUBMITTED
    assert service_request.station == community.station  # routed to the community's station
    assert service_request.contact_due_at and service_request.resolve_due_at

    page = client.get(track_url).content.decode()
    assert f"诉求已提交，编号{service_request.reference}" in page  # once, after confirming
    assert service_request.reference in page and "139****5678" in page and "待受理" in page
    assert community.name in page and community.station.name in page
    assert format_datetime(service_request.contact_due_at) in page
    assert format_datetime(service_request.resolve_due_at) in page
    assert service_request.resolve_limit in page and "未到时限" in page
    assert "提交" in page
    again = client.get(track_url).content.decode()
    assert "诉求已提交" not in again and service_request.reference in again
    # Back to the code page (a second click, the back button): the tracking page instead.
    assert client.post(reverse("servicedesk_verify"), {"code": "123456"})["Location"] == track_url


def test_the_community_comes_from_the_cookie_or_a_search(client):
    client.cookies["my_community"] = COMMUNITY
    page = client.get(form_url()).content.decode()
    assert f'name="community" value="{COMMUNITY}"' in page and "星宇小区" in page
    # “重新选择” ignores the cookie and searches.
    page = client.get(form_url() + "?q=星宇").content.decode()
    assert 'type="radio" name="community" value="LY-0001"' in page
    page = client.get(form_url() + "?q=不存在的小区名").content.decode()
    assert "没有找到相符的小区" in page and 'name="description"' not in page


def test_a_search_choice_submits(client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, community="NG-0001")
    assert response.status_code == 302
    assert ServiceRequest.objects.get(phone=PHONE).community.code == "NG-0001"


@pytest.mark.parametrize("kind", list(RequestKind))
def test_each_kind_asks_for_what_it_needs(client, kind):
    rule = RULES[kind]
    page = client.get(form_url(kind) + f"?community={COMMUNITY}").content.decode()
    assert ('name="address"' in page) == rule.asks_address
    assert ('name="account_number"' in page) == rule.asks_account
    response = client.post(form_url(kind), {"community": COMMUNITY, "phone": PHONE})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写诉求内容" in page
    assert ("请填写楼栋、单元和房号" in page) == rule.asks_address
    assert ("请填写供暖卡号" in page) == rule.asks_account
    assert not ServiceRequest.objects.exists()


def test_bad_fields_are_refused_in_chinese(client, outbox):
    for overrides, message in [
        ({"description": "长" * 1001}, "诉求内容最多1000字"),
        ({"phone": "12345"}, "请填写正确的中国大陆手机号码"),
        ({"phone": "043188881234"}, "固定电话收不到验证码"),
        ({"account_number": "卡号-12"}, "供暖卡号只能包含数字和字母"),
    ]:
        response = submit(client, RequestKind.SUSPENSION, **overrides)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not ServiceRequest.objects.exists() and not outbox


def test_numbers_are_read_after_nfkc_and_then_strictly(client, outbox):
    """Full-width letters and digits (Chinese input methods) are the ASCII ones; digits of
    other scripts, and junk around a phone number, are refused."""
    for overrides, message in [
        ({"account_number": "JY٢٠٢٦٠٠٤٢"}, "供暖卡号只能包含数字和字母"),
        ({"phone": "😀𠀀13900005678"}, "请填写正确的中国大陆手机号码"),
        ({"phone": "13900005678#1234"}, "请填写正确的中国大陆手机号码"),
    ]:
        response = submit(client, RequestKind.SUSPENSION, **overrides)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not ServiceRequest.objects.exists() and not outbox
    response = submit(
        client,
        RequestKind.SUSPENSION,
        account_number="ｊｙ２０２６００４２",
        phone="１３９ ００００ ５６７８",
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.values_list("account_number", "phone").get() == (ACCOUNT, PHONE)


def test_unknown_or_forged_community_is_refused(client, outbox):
    for code in ("NOPE-9999", "", "<script>"):
        response = submit(client, community=code)
        assert response.status_code == 400
        assert "请从名录中选择您的小区。" in response.content.decode()
    assert not ServiceRequest.objects.exists() and not outbox


def test_unknown_kind_is_404(client):
    assert client.get("/service/repair/").status_code == 404
    assert client.post("/service/repair/", form_data()).status_code == 404


# The code -----------------------------------------------------------------------------------


def test_a_wrong_code_leaves_the_request_unverified_and_invisible(
    client, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    pending = ServiceRequest.objects.get(phone=PHONE)
    response = client.post(reverse("servicedesk_verify"), {"code": other_code(sent_code(outbox))})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == RequestStatus.UNVERIFIED and pending.submitted_at is None
    track_url = reverse("servicedesk_track", args=(pending.tracking_token,))
    assert client.get(track_url).status_code == 404
    assert Client().get("/service/track/no-such-token/").status_code == 404
    lookup = client.post(
        reverse("servicedesk_lookup"), {"reference": pending.reference, "phone_last4": "5678"}
    )
    assert lookup.status_code == 400


def test_verify_without_a_pending_request_goes_back_to_the_index(client):
    client.get(reverse("servicedesk_index"))
    assert client.get(reverse("servicedesk_index")).get("X-Page-Cache") == "hit"
    response = client.get(reverse("servicedesk_verify"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("servicedesk_index")
    assert "没有待验证的诉求" in response.content.decode()
    response = client.post(reverse("servicedesk_resend"))
    assert response["Location"] == reverse("servicedesk_index")


def test_resending_a_code(client, outbox, django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    first = sent_code(outbox)
    with django_capture_on_commit_callbacks(execute=True):
        too_soon = client.post(reverse("servicedesk_resend"))
    assert too_soon.status_code == 429 and "验证码发送太频繁" in too_soon.content.decode()
    assert 59 <= int(too_soon["Retry-After"]) <= 60
    assert len(outbox) == 1

    clock.shift(61)  # the minute passes
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("servicedesk_resend"))
    assert response["Location"] == reverse("servicedesk_verify") and len(outbox) == 2
    assert "验证码已重新发送" in client.get(reverse("servicedesk_verify")).content.decode()
    second = sent_code(outbox)
    if first != second:  # the first code was replaced
        refused = client.post(reverse("servicedesk_verify"), {"code": first})
        assert "验证码" in refused.content.decode() and refused.status_code == 400
    response = client.post(reverse("servicedesk_verify"), {"code": second})
    assert response.status_code == 302
    assert ServiceRequest.objects.get(phone=PHONE).status == RequestStatus.SUBMITTED


# Floods -------------------------------------------------------------------------------------


def test_the_eleventh_submission_in_an_hour_is_refused(client, clock):
    clock("2026-12-04T10:15")  # the hour's window is not about to end
    flooder = Client(REMOTE_ADDR="10.9.0.1")
    for index in range(10):
        response = submit(flooder, phone=f"1390001{index:04d}")
        assert response.status_code == 302, index
    response = submit(flooder, phone="13900019999")
    assert response.status_code == 429 and "提交太频繁" in response.content.decode()
    assert ServiceRequest.objects.count() == 10
    assert not ServiceRequest.objects.filter(phone="13900019999").exists()
    # Another address still gets through.
    assert submit(Client(REMOTE_ADDR="10.9.0.2"), phone="13900019999").status_code == 302


def test_one_code_a_minute_and_five_a_day_per_number(clock):
    assert submit(Client(REMOTE_ADDR="10.9.1.1")).status_code == 302
    again = submit(Client(REMOTE_ADDR="10.9.1.2"))
    assert again.status_code == 429 and "验证码发送太频繁" in again.content.decode()
    assert 59 <= int(again["Retry-After"]) <= 60  # when the minute of the first code ends
    assert ServiceRequest.objects.filter(phone=PHONE).count() == 1
    for index in range(4):
        clock.shift(61)
        assert submit(Client(REMOTE_ADDR=f"10.9.2.{index}")).status_code == 302
    clock.shift(61)
    sixth = submit(Client(REMOTE_ADDR="10.9.3.1"))
    assert sixth.status_code == 429
    # When the first code leaves the day: not in a minute, when a retry would only be refused.
    assert 24 * 3600 - 5 * 61 - 1 <= int(sixth["Retry-After"]) <= 24 * 3600 - 5 * 61
    assert ServiceRequest.objects.filter(phone=PHONE).count() == 5
    clock.shift(24 * 3600 - 5 * 61)  # a day after the first code
    assert submit(Client(REMOTE_ADDR="10.9.3.2")).status_code == 302


def test_one_budget_of_codes_per_number_across_subscription_and_service_desk(clock):
    """Five codes a day per number in all: a subscription's codes count for the service desk
    (and back), so the two uses together cannot text a number ten codes a day."""
    subscribe = lambda ip: Client(REMOTE_ADDR=ip).post(  # noqa: E731
        reverse("alerts_subscribe"),
        {"phone": PHONE, "utilities": ["heat"], "consent": "on"},
    )
    assert subscribe("10.9.4.1").status_code == 302
    refused = submit(Client(REMOTE_ADDR="10.9.4.2"))  # the same minute, the other use
    assert refused.status_code == 429 and "验证码发送太频繁" in refused.content.decode()
    for index in range(2):
        clock.shift(61)
        assert submit(Client(REMOTE_ADDR=f"10.9.4.{10 + index}")).status_code == 302
        clock.shift(61)
        assert subscribe(f"10.9.4.{20 + index}").status_code == 302
    clock.shift(61)
    assert submit(Client(REMOTE_ADDR="10.9.4.30")).status_code == 429
    assert subscribe("10.9.4.31").status_code == 429


# The tracking page --------------------------------------------------------------------------


def test_tracking_page_shows_no_personal_data(client):
    service_request = make_request(
        RequestKind.SUSPENSION,
        phone=PHONE,
        description=DESCRIPTION,
        address=ADDRESS,
        account_number=ACCOUNT,
    )
    staff = make_station_staff(service_request.station, first_name="李", last_name="建国")
    workflow.take(service_request, staff)
    workflow.record_action(service_request, staff, EventKind.CONTACTED, "电话联系了住户李女士")
    workflow.close(service_request, staff, "已于今日关阀并贴封条")
    response = client.get(reverse("servicedesk_track", args=(service_request.tracking_token,)))
    page = response.content.decode()
    assert "139****5678" in page and service_request.reference in page and "已办结" in page
    for private in (
        PHONE,
        DESCRIPTION,
        ADDRESS,
        ACCOUNT,
        "李女士",
        "建国",
        staff.username,
        "贴封条",
    ):
        assert private not in page, private
    assert "受理" in page and "联系用户" in page and "办结" in page
    assert "已按时完成" in page
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"
    # Never stored by the page cache.
    assert client.get(response.request["PATH_INFO"]).get("X-Page-Cache") != "hit"


def test_an_overdue_request_says_so(client):
    service_request = make_request(submitted_at=timezone.now() - timedelta(days=3))
    page = client.get(reverse("servicedesk_track", args=(service_request.tracking_token,)))
    assert page.content.decode().count("已超时") == 2  # contact and resolve both passed


def test_temperature_readings_are_shown_without_names(client):
    service_request = make_request(RequestKind.TEMPERATURE)
    staff = make_station_staff(service_request.station, first_name="赵测温")
    workflow.take(service_request, staff)
    now = timezone.now()
    workflow.record_temperature(
        service_request,
        staff,
        room="主卧",
        room_area=Decimal("15"),
        readings=[Decimal("16.4")],
        doors_closed_since=now - timedelta(hours=4),
        signature=Signature.SIGNED,
        measured_at=now,
    )
    page = client.get(reverse("servicedesk_track", args=(service_request.tracking_token,)))
    page = page.content.decode()
    assert "主卧" in page and "16.4℃" in page and "低于18.0℃" in page and "入户测温" in page
    assert "赵测温" not in page and staff.username not in page


# Rating -------------------------------------------------------------------------------------


def test_rating_only_after_closing_and_only_once(client):
    service_request = make_request()
    url = reverse("servicedesk_track", args=(service_request.tracking_token,))
    assert 'name="score"' not in client.get(url).content.decode()
    early = client.post(url, {"score": Satisfaction.SATISFIED})
    assert early.status_code == 400 and "诉求办结后才能评价" in early.content.decode()
    service_request.refresh_from_db()
    assert service_request.rating is None

    service_request = closed_request(phone="13900002222")
    url = reverse("servicedesk_track", args=(service_request.tracking_token,))
    page = client.get(url).content.decode()
    assert 'name="score"' in page and "非常满意" in page
    assert "室温恢复到20度" not in page  # the resolution stays with the staff
    missing = client.post(url, {"comment": "挺好"})
    assert missing.status_code == 400 and "请选择满意程度" in missing.content.decode()
    response = client.post(url, {"score": Satisfaction.SATISFIED, "comment": "师傅很耐心，张先生"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "感谢您的评价" in page and 'name="score"' not in page and "用户评价" in page
    assert "张先生" not in page
    service_request.refresh_from_db()
    assert service_request.rating == Satisfaction.SATISFIED
    twice = client.post(url, {"score": Satisfaction.VERY_DISSATISFIED})
    assert twice.status_code == 400 and "您已经评价过了" in twice.content.decode()
    service_request.refresh_from_db()
    assert service_request.rating == Satisfaction.SATISFIED


def test_ratings_are_limited_per_address(clock):
    clock("2026-12-04T10:15")  # the hour's window is not about to end
    service_request = make_request()
    url = reverse("servicedesk_track", args=(service_request.tracking_token,))
    rater = Client(REMOTE_ADDR="10.9.4.1")
    for _ in range(20):
        assert rater.post(url, {"score": 5}).status_code == 400
    refused = rater.post(url, {"score": 5})
    assert refused.status_code == 429 and "评价太频繁" in refused.content.decode()


# Lookup -------------------------------------------------------------------------------------


def test_lookup_by_reference_and_last_four_digits(client):
    service_request = make_request(phone=PHONE)
    track_url = reverse("servicedesk_track", args=(service_request.tracking_token,))
    lookup = reverse("servicedesk_lookup")
    for typed in (service_request.reference, service_request.reference.lower().replace("-", "")):
        response = client.post(lookup, {"reference": typed, "phone_last4": "5678"})
        assert response.status_code == 302 and response["Location"] == track_url

    full_width = client.post(
        lookup, {"reference": service_request.reference, "phone_last4": "５６７８"}
    )
    assert full_width.status_code == 302 and full_width["Location"] == track_url
    arabic = client.post(lookup, {"reference": service_request.reference, "phone_last4": "٥٦٧٨"})
    assert arabic.status_code == 400 and "请填写4位数字" in arabic.content.decode()

    wrong_phone = client.post(
        lookup, {"reference": service_request.reference, "phone_last4": "1234"}
    )
    wrong_reference = client.post(lookup, {"reference": "20200101-ABCDEF", "phone_last4": "5678"})
    for response in (wrong_phone, wrong_reference):
        assert response.status_code == 400
        assert "没有找到相符的诉求，请核对诉求编号和手机号后四位" in response.content.decode()
        assert service_request.tracking_token not in response.content.decode()
    assert client.get(lookup)["Location"] == reverse("servicedesk_index")


def test_lookups_are_limited_per_address(clock):
    clock("2026-12-04T10:15")  # the hour's window is not about to end
    guesser = Client(REMOTE_ADDR="10.9.5.1")
    for index in range(20):
        guess = {"reference": "20200101-ABCDEF", "phone_last4": f"{index:04d}"}
        assert guesser.post(reverse("servicedesk_lookup"), guess).status_code == 400
    refused = guesser.post(
        reverse("servicedesk_lookup"), {"reference": "20200101-ABCDEF", "phone_last4": "0021"}
    )
    assert refused.status_code == 429 and "查询太频繁" in refused.content.decode()


# CSRF, the page budget, Chinese, the community page, the cache --------------------------------


def test_every_post_needs_csrf():
    strict = Client(enforce_csrf_checks=True)
    service_request = closed_request()
    posts = [
        (form_url(), form_data()),
        (reverse("servicedesk_verify"), {"code": "123456"}),
        (reverse("servicedesk_resend"), {}),
        (reverse("servicedesk_lookup"), {"reference": service_request.reference}),
        (reverse("servicedesk_track", args=(service_request.tracking_token,)), {"score": 5}),
    ]
    for url, data in posts:
        assert strict.post(url, data).status_code == 403, url
    assert not ServiceRequest.objects.filter(phone=PHONE).exists()
    service_request.refresh_from_db()
    assert service_request.rating is None


@pytest.fixture
def uncached(settings):
    """Count what a view really costs, not a page-cache hit."""
    settings.PAGE_CACHE_TIMEOUT = 0


def test_pages_stay_within_the_query_budget(
    client, outbox, uncached, django_capture_on_commit_callbacks
):
    assert queries_for(client, reverse("servicedesk_index")) <= 10
    assert queries_for(client, form_url() + f"?community={COMMUNITY}") <= 10
    assert queries_for(client, form_url() + "?q=xy") <= 10
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    assert queries_for(client, reverse("servicedesk_verify")) <= 10

    service_request = closed_request(kind=RequestKind.TEMPERATURE)
    url = reverse("servicedesk_track", args=(service_request.tracking_token,))
    before = queries_for(client, url)
    assert before <= 10
    staff = service_request.owner
    for _ in range(5):
        workflow.record_return_visit(service_request, staff, "住户表示满意")
    assert queries_for(client, url) == before  # constant in the length of the timeline


def test_pages_are_in_chinese(client):
    service_request = make_request()
    for url in (
        reverse("servicedesk_index"),
        form_url(RequestKind.TEMPERATURE),
        reverse("servicedesk_track", args=(service_request.tracking_token,)),
    ):
        page = client.get(url).content.decode()
        assert '<html lang="zh-Hans"' in page and CJK.search(page), url
    assert '<a href="/service/">在线办理</a>' in client.get("/").content.decode()  # main navigation


def test_community_pages_link_to_the_forms(client):
    page = client.get(f"/directory/{COMMUNITY}/").content.decode()
    for kind in RequestKind:
        assert f"{form_url(kind)}?community={COMMUNITY}" in page


def test_the_index_is_cached_until_a_commitment_page_is_published(client):
    url = reverse("servicedesk_index")
    client.get(url)
    assert client.get(url).get("X-Page-Cache") == "hit"
    page = CommitmentPage.objects.get(commitments__key="complaint-suggestion")
    rows = list(page.commitments.all())
    for row in rows:
        if row.key == "complaint-suggestion":
            row.requirement = "责任部门30分钟内与用户联系。"
    page.commitments = rows
    page.save_revision().publish()
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit"
    assert "责任部门30分钟内与用户联系。" in response.content.decode()


def test_a_cached_form_page_follows_the_directory(client):
    url = form_url() + f"?community={COMMUNITY}"
    client.get(url)
    assert client.get(url).get("X-Page-Cache") == "hit"
    community = Community.objects.get(code=COMMUNITY)
    community.name = "星宇新城"
    community.save()
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit" and "星宇新城" in response.content.decode()
