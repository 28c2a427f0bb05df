"""What a URL, a query string or a body from outside can do: at worst a 404 or the site's Chinese
400 page, never a 500. Ids out of range, unknown ids in the JSON API, HEAD on the API, bodies
that are not UTF-8, bodies too large or with too many fields, and a bad Host header."""

import json
import logging

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from alerts.models import Subscriber
from config.log_filters import OneLineWarning
from config.settings import base
from core.converters import MAX_ID
from notices.models import OutageNoticePage
from servicedesk.models import ServiceRequest
from tests.security.test_endpoints import page_routes, url_patterns

pytestmark = pytest.mark.django_db

HUGE = "9" * 23
# Wagtail's and Django's own URL confs: their views look ids up in ways Django range-checks.
FRAMEWORKS = ("wagtail.", "django.", "rest_framework.")


@pytest.fixture
def client():
    client = Client(HTTP_HOST="localhost")
    client.raise_request_exception = False  # a 500 is answered, as in production
    return client


# Ids and numbers from outside ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/api/notices/{HUGE}/",
        f"/api/notices/{MAX_ID + 1}/",
        f"/cap/notices/{HUGE}.xml",
        f"/calendar/notices/{HUGE}.ics",
        f"/admin/notices/{HUGE}/updates/",
        f"/admin/alerts/notices/{HUGE}/deliveries/",
        f"/admin/alerts/messages/{HUGE}/retry/",
        f"/admin/servicedesk/{HUGE}/",
        f"/admin/servicedesk/{HUGE}/take/",
    ],
)
@pytest.mark.parametrize("method", ["get", "head"])
def test_an_id_out_of_range_is_a_404(client, admin_user, url, method):
    client.force_login(admin_user)  # the admin's URLs too, for staff
    assert getattr(client, method)(url).status_code == 404


def test_the_largest_id_is_still_looked_up(client):
    assert client.get(f"/cap/notices/{MAX_ID}.xml").status_code == 404
    notice = OutageNoticePage.objects.live().first()
    assert client.get(f"/cap/notices/{notice.pk:019d}.xml").status_code == 200


def test_site_urls_take_ids_through_the_id_converter():
    """`<int:...>` lets any number through to the database; the site's URLs use `<id:...>`."""
    routes = [
        (route, name)
        for route, view, name in url_patterns()
        if not view.__module__.startswith(FRAMEWORKS)
    ]
    assert any("<id:" in route for route, _name in routes)
    assert [(route, name) for route, name in routes if "<int:" in route] == []
    assert not [route for route in page_routes() if "<int:" in route]


@pytest.mark.parametrize("query", [f"page={HUGE}", f"page=-{HUGE}", "page=" + "9" * 5000])
def test_query_string_numbers_out_of_range_are_json_4xx(client, query):
    response = client.get(f"/api/notices/?{query}")
    assert response.status_code in (400, 404)
    assert json.loads(response.content)["error"]


def test_a_huge_page_size_is_capped(client):
    data = json.loads(client.get(f"/api/notices/?page_size={HUGE}").content)
    assert len(data["results"]) == min(data["count"], 100)


# The JSON API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("/api/notices/999999/", "没有这条通知，或它已下线。"),
        (f"/api/notices/{HUGE}/", "没有这个接口地址。"),
        ("/api/x/", "没有这个接口地址。"),
    ],
)
def test_an_unknown_notice_in_the_api_is_json(client, url, error):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": error}


def test_an_api_address_without_its_slash_still_redirects(client):
    response = client.get("/api/notices")
    assert response.status_code == 301 and response["Location"] == "/api/notices/"


@pytest.mark.parametrize("detail", [False, True])
def test_head_on_the_api_answers_headers_without_a_body(client, detail):
    notice = OutageNoticePage.objects.live().first()
    url = f"/api/notices/{notice.pk}/" if detail else "/api/notices/"
    response = client.head(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["ETag"] == client.get(url)["ETag"]
    assert response.content == b""


# Bodies ----------------------------------------------------------------------------------------

NOT_UTF8 = [
    b"%FF%FE%C3%28",  # percent-encoded, as a browser would send bytes
    b"\xff\xfe\xc3(",  # raw
]


def assert_chinese_400(response):
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize("bad", NOT_UTF8)
def test_a_service_request_that_is_not_utf8_is_refused(client, outbox, bad):
    before = ServiceRequest.objects.count()
    body = b"community=LY-0001&phone=13900005678&description=" + bad + "暖气不热".encode()
    response = client.post(
        "/service/complaint/", body, content_type="application/x-www-form-urlencoded"
    )
    assert_chinese_400(response)
    assert ServiceRequest.objects.count() == before and outbox == []


@pytest.mark.parametrize("bad", NOT_UTF8)
def test_a_subscription_that_is_not_utf8_is_refused(client, outbox, bad):
    body = b"phone=13900001234&utilities=heat&consent=on&communities=LY-0001" + bad
    response = client.post(
        reverse("alerts_subscribe"), body, content_type="application/x-www-form-urlencoded"
    )
    assert_chinese_400(response)
    assert not Subscriber.objects.filter(phone="13900001234").exists() and outbox == []


def test_a_body_declared_in_another_charset_is_refused(client):
    """Django would decode it as declared: Latin-1 turns any bytes into mojibake."""
    response = client.post(
        "/service/complaint/",
        "community=LY-0001&phone=13900005678&description=ÿþ",
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
    )
    assert_chinese_400(response)


def test_utf8_forms_still_go_through(client, outbox, django_capture_on_commit_callbacks):
    body = "phone=13900001234&utilities=heat&consent=on&communities=LY-0001&x=%E6%9A%96暖"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alerts_subscribe"),
            body.encode(),
            content_type="application/x-www-form-urlencoded; charset=UTF-8",
        )
    assert response.status_code == 302 and len(outbox) == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_gets_the_chinese_400_page(client):
    response = client.post(reverse("alerts_subscribe"), {"phone": "1" * 2000})
    assert_chinese_400(response)


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_fields_get_the_chinese_400_page(client):
    response = client.post("/service/complaint/", {f"f{n}": "x" for n in range(20)})
    assert_chinese_400(response)


# The Host header -------------------------------------------------------------------------------


@override_settings(ALLOWED_HOSTS=["localhost"])
def test_a_bad_host_gets_the_chinese_400_page_and_one_log_line(caplog):
    client = Client(HTTP_HOST="evil.example")
    client.raise_request_exception = False
    # The test settings log nothing; the production configuration of this logger, applied.
    security = logging.getLogger("django.security.DisallowedHost")
    one_line = OneLineWarning()
    security.addFilter(one_line)
    try:
        with caplog.at_level(logging.INFO):
            response = client.get("/")
    finally:
        security.removeFilter(one_line)
    assert_chinese_400(response)
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "\n" not in caplog.text.strip()


def test_the_settings_give_the_bad_host_logger_its_one_line_filter():
    logger = base.LOGGING["loggers"]["django.security.DisallowedHost"]
    [name] = logger["filters"]
    assert base.LOGGING["filters"][name]["()"] == "config.log_filters.OneLineWarning"
    assert "core.encoding.Utf8BodyMiddleware" in settings.MIDDLEWARE
