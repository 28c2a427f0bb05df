"""Every public endpoint that takes a POST is known, rate limited per IP and CSRF-protected.

The URL conf and the routable pages are walked: a new public URL fails these tests until it is
classified below, as a POST endpoint (with its limit) or as one that only reads. The numbers are
the ones docs/security.md promises."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

from core import ratelimit
from fees.models import FeeCalculatorPage
from tests.factories.alerts import make_subscriber
from tests.factories.notices import make_notice
from tests.factories.servicedesk import make_request

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
FEES = "fees.FeeCalculatorPage"

# URL name → (scope, limit per IP, window in seconds). Fee calculators are routes of a page.
POST_ENDPOINTS = {
    "alerts_subscribe": ("subscribe-ip", 10, 3600),
    "alerts_verify": ("verify-ip", 30, 3600),
    "alerts_unsubscribe": ("unsubscribe-ip", 20, 3600),
    "alerts_inbound": ("inbound-ip", 600, 60),
    "alerts_wechat_callback": ("wechat-ip", 600, 60),
    "my_community": ("my-community", 100, 600),
    "display_settings": ("display", 100, 600),
    "wagtailadmin_login": ("login", 30, 1800),
    "wagtailcore_login": ("login", 30, 1800),
    "wagtailadmin_password_reset": ("password-reset", 5, 3600),
    "wagtailcore_authenticate_with_password": ("view-password", 20, 3600),
    "wagtaildocs_authenticate_with_password": ("view-password", 20, 3600),
    f"{FEES}:heating": ("fee-calculator", 60, 600),
    f"{FEES}:resume": ("fee-calculator", 60, 600),
    f"{FEES}:refund": ("fee-calculator", 60, 600),
    f"{FEES}:area": ("fee-calculator", 60, 600),
    "servicedesk_form": ("servicedesk-submit", 10, 3600),
    "servicedesk_verify": ("servicedesk-verify", 30, 3600),
    "servicedesk_resend": ("servicedesk-resend", 10, 3600),
    "servicedesk_lookup": ("servicedesk-lookup", 20, 3600),
    "servicedesk_track": ("servicedesk-rate", 20, 3600),
}
# Public URLs that only read: a POST there changes nothing (pages render as for GET).
READ_ONLY = {
    "wagtail_serve",
    "wagtaildocs_serve",
    "search",
    "sitemap",
    "api_notice_list",
    "api_notice_detail",
    "api_not_found",
    "notice_cap",
    "cap_index",
    "notice_ical",
    "community_ical",
    "servicedesk_index",
    "servicedesk_compliance",
    "servicedesk_compliance_month",
    "servicedesk_compliance_csv",
    "servicedesk_compliance_feed",
    "servicedesk_compliance_feed_atom",
    "reports_figures_csv",
    "reports_months_rss",
    "reports_months_atom",
    "catalogue_column_rss",
    "catalogue_column_atom",
    "catalogue_changes",
    "catalogue_export_json",
    "catalogue_export_csv",
    "catalogue_export_xlsx",
    "collection_feed_rss",
    "collection_feed_atom",
    "collection_ical",
    "api_collection",
    *(
        f"{feed}_feed_{kind}"
        for feed in ("notice", "major", "utility", "community")
        for kind in ("rss", "atom")
    ),
    # The admin's password-reset steps after the form: a page, and the emailed one-time link.
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    # Routes of pages.
    f"{FEES}:index",
    f"{FEES}:index_route",
    "contacts.DirectoryPage:index",
    "contacts.DirectoryPage:index_route",
    "contacts.DirectoryPage:community",
    "notices.NoticeIndexPage:current",
    "notices.NoticeIndexPage:archive",
    "notices.NoticeIndexPage:index_route",
}
# Under admin/, only the login and the password reset take a POST without a staff login.
PUBLIC_ADMIN = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}
# Views exempt from CSRF, each with the reason it is safe.
CSRF_EXEMPT = {
    # Called by the SMS provider, with no cookie; an HMAC of the body authenticates it.
    ("sms/inbound/", "alerts_inbound"),
    # Called by WeChat's servers, with no cookie; the signature of the account's Token
    # authenticates it (tests/alerts/test_wechat_callback.py).
    ("wechat/", "alerts_wechat_callback"),
    # The admin's REST API (Django REST framework): DRF exempts its views from the middleware
    # and enforces CSRF itself for session logins (test_admin_api_still_checks_csrf).
    *(
        (f"admin/api/main/^{kind}/{suffix}", name)
        for kind in ("pages", "documents", "images")
        for suffix, name in (("", "listing"), ("<int:pk>/", "detail"), ("find/", "find"))
    ),
    ("admin/api/main/^pages/<int:pk>/action/<str:action_name>/", "action"),
}


def url_patterns(patterns=None, prefix=""):
    """(route, view, name) of every URL pattern, includes flattened."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback, pattern.name


def page_routes():
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin):
            for pattern in model.get_subpage_urls():
                yield f"{model._meta.label}:{pattern.name}"


def test_every_public_url_is_classified():
    public = {
        name
        for route, _view, name in url_patterns()
        if not route.startswith("admin/") or name in PUBLIC_ADMIN
    }
    public |= set(page_routes())
    unknown = public - set(POST_ENDPOINTS) - READ_ONLY
    assert not unknown, f"classify these public URLs in {__name__}: {sorted(unknown)}"
    assert not (set(POST_ENDPOINTS) | READ_ONLY) - public, "stale entries"


def test_only_the_listed_views_are_csrf_exempt():
    exempt = {
        (route, name) for route, view, name in url_patterns() if getattr(view, "csrf_exempt", False)
    }
    assert exempt == CSRF_EXEMPT


def fees_url(route: str) -> str:
    page = FeeCalculatorPage.objects.live().get()
    return page.url + page.reverse_subpage(route)


def post_requests(subscriber_token, tracking_token):
    """URL name → (url, data) of a POST each endpoint answers normally within its limit."""
    return {
        "alerts_subscribe": ("/sms/subscribe/", {"phone": "123", "communities": ""}),
        "alerts_verify": ("/sms/verify/", {"code": "000000"}),
        "alerts_unsubscribe": (f"/sms/unsubscribe/{subscriber_token}/", {}),
        "alerts_inbound": ("/sms/inbound/", {"phone_number": "13800000000"}),
        "alerts_wechat_callback": ("/wechat/", {}),
        "my_community": ("/my-community/", {"code": "LY-0001"}),
        "display_settings": ("/display/", {"mode": "large", "next": "/"}),
        "wagtailadmin_login": ("/admin/login/", {"username": "nobody", "password": "x"}),
        "wagtailcore_login": ("/_util/login/", {"username": "nobody", "password": "x"}),
        "wagtailadmin_password_reset": ("/admin/password_reset/", {"email": "no@example.cn"}),
        "wagtailcore_authenticate_with_password": (
            "/_util/authenticate_with_password/999999/999999/",
            {"password": "x", "return_url": "/"},
        ),
        "wagtaildocs_authenticate_with_password": (
            "/documents/authenticate_with_password/999999/",
            {"password": "x", "return_url": "/"},
        ),
        **{
            f"{FEES}:{route}": (fees_url(route), {"season": "2026-2027"})
            for route in ("heating", "resume", "refund", "area")
        },
        "servicedesk_form": ("/service/complaint/", {"community": ""}),
        "servicedesk_verify": ("/service/verify/", {"code": "000000"}),
        "servicedesk_resend": ("/service/verify/resend/", {}),
        "servicedesk_lookup": ("/service/lookup/", {"reference": "x", "phone_last4": "0000"}),
        "servicedesk_track": (f"/service/track/{tracking_token}/", {"score": "5"}),
    }


@pytest.fixture
def requests():
    return post_requests(make_subscriber().token, make_request().tracking_token)


def seconds_left_in_window(instant, window: int) -> int:
    """Windows are aligned to the clock: an hour's ends on the hour."""
    return window - int(instant.timestamp()) % window


@pytest.mark.parametrize("name", sorted(POST_ENDPOINTS))
def test_each_post_endpoint_refuses_after_its_limit(name, requests, clock):
    scope, limit, window = POST_ENDPOINTS[name]
    url, data = requests[name]
    instant = clock("2026-12-04T10:15:20", tick=False)
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.8.0.1")
    # The attempts before the last allowed one, counted as the view counts them.
    for _ in range(limit - 1):
        ratelimit.attempt(scope, "10.8.0.1", limit, window)

    last_allowed = client.post(url, data)
    assert last_allowed.status_code != 429, name
    refused = client.post(url, data)
    assert refused.status_code == 429, name
    assert "太频繁" in refused.content.decode(), name
    # When the window ends, not a whole window from now.
    assert refused["Retry-After"] == str(seconds_left_in_window(instant, window)), name
    # Another address is not affected.
    elsewhere = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.8.0.2").post(url, data)
    assert elsewhere.status_code != 429, name


def test_a_limited_reader_can_still_read(client, clock):
    clock("2026-12-04T10:20", tick=False)  # a 10-minute window starts
    for _ in range(100):
        ratelimit.attempt("display", "127.0.0.1", 100, 600)
    assert client.post("/display/", {"mode": "large"}).status_code == 429
    response = client.get("/display/")
    assert response.status_code == 200
    refused = client.post("/display/", {"mode": "large"})
    assert refused["Retry-After"] == "600"
    assert CJK.search(refused.content.decode())


def test_limits_count_real_requests_not_just_the_counter():
    """No shortcut through the cache: 100 real switches, then the 101st is refused."""
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.8.0.3")
    statuses = [client.post("/display/", {"mode": "large"}).status_code for _ in range(101)]
    assert statuses[:100] == [302] * 100 and statuses[100] == 429


@pytest.mark.parametrize(
    "name", sorted(set(POST_ENDPOINTS) - {"alerts_inbound", "alerts_wechat_callback"})
)
def test_each_post_endpoint_needs_a_csrf_token(name, requests):
    url, data = requests[name]
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    strict.get(url)  # a visitor who has the CSRF cookie, but posts from another site
    response = strict.post(url, data)
    assert response.status_code == 403, name
    assert "请求已失效" in response.content.decode()


def test_inbound_webhook_is_exempt_but_needs_its_signature():
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    response = strict.post(
        "/sms/inbound/", b'{"phone_number": "13800000000", "content": "TD"}', "application/json"
    )
    assert response.status_code == 403 and response.content == b"signature"


def test_admin_api_still_checks_csrf(moderator):
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    strict.force_login(moderator)
    notice = make_notice()
    response = strict.post(
        f"/admin/api/main/pages/{notice.pk}/action/unpublish/", {}, "application/json"
    )
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.live
    # The same request with the token goes through: the 403 was CSRF, not permissions.
    lenient = Client(HTTP_HOST="localhost")
    lenient.force_login(moderator)
    lenient.post(f"/admin/api/main/pages/{notice.pk}/action/unpublish/", {}, "application/json")
    notice.refresh_from_db()
    assert not notice.live


def test_client_ip_behind_trusted_proxies(settings, rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1  # the reader's address as the one proxy saw it
    assert ratelimit.client_ip(request) == "10.1.2.3"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: a request that bypassed them
    assert ratelimit.client_ip(request) == "127.0.0.1"
