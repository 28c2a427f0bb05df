"""“我的小区” and the large-text display: remembered in cookies, without an account; chosen
through POST forms with CSRF; the home page leads with the chosen community."""

import pytest
from django.test import Client

from contacts.models import Community
from contacts.my_community import COOKIE
from home.display import COOKIE as DISPLAY_COOKIE
from tests.support import queries_for

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def choose(client, code):
    return client.post("/my-community/", {"code": code})


def test_home_invites_a_choice_until_one_is_made(client):
    body = text(client.get("/"))
    assert 'action="/my-community/"' in body
    assert "我的小区：" not in body


def test_resident_finds_their_community_by_pinyin_initials(client):
    body = text(client.get("/my-community/", {"q": "xy"}))
    assert "星宇小区" in body
    assert 'name="code" value="LY-0001"' in body
    assert "csrfmiddlewaretoken" in body


def test_choosing_sets_a_long_lived_private_cookie_and_returns_home(client):
    response = choose(client, "LY-0001")
    assert response.status_code == 302
    assert response["Location"] == "/#my-community"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "LY-0001"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600


def test_home_leads_with_the_chosen_communitys_outages_phones_and_sms_form(client):
    choose(client, "LY-0001")
    body = text(client.get("/"))
    community = Community.objects.select_related("station").get(code="LY-0001")
    # The community's section comes before the site-wide hotline card and section list.
    mine = body[body.index('id="my-community"') : body.index('id="sections-title"')]
    assert f"我的小区：{community.name}" in body
    assert "绿园区星宇东泵站停水通知" in mine
    assert "第一供热所换热站检修停热通知" in mine
    assert community.station.name in mine
    assert 'href="tel:' in mine
    assert 'name="communities" value="LY-0001"' in mine  # the SMS form, for this community


def test_another_communitys_outage_is_not_shown_as_mine(client):
    choose(client, "NG-0001")
    body = text(client.get("/"))
    assert "绿园区星宇东泵站停水通知" not in body


@pytest.mark.parametrize("value", ["NO-SUCH", "<script>alert(1)</script>", "x" * 200])
def test_a_stale_or_forged_cookie_is_ignored(value):
    client = Client(HTTP_HOST="localhost")
    client.cookies[COOKIE] = value
    response = client.get("/")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text(response)
    assert "我的小区：" not in text(response)


def test_forgetting_clears_the_cookie(client):
    choose(client, "LY-0001")
    response = client.post("/my-community/", {"action": "forget"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == ""
    assert "我的小区：" not in text(client.get("/"))


def test_unknown_community_is_refused_in_chinese(client):
    response = choose(client, "NO-SUCH")
    assert response.status_code == 400
    assert "没有这个小区" in text(response)
    assert COOKIE not in response.cookies


def test_choosing_needs_a_csrf_token():
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    assert strict.post("/my-community/", {"code": "LY-0001"}).status_code == 403


def test_community_page_offers_to_remember_it_and_then_to_forget_it(client):
    url = "/directory/LY-0001/"
    assert "设为我的小区" in text(client.get(url))
    choose(client, "LY-0001")
    body = text(client.get(url))
    assert "不再记住这个小区" in body and "设为我的小区" not in body


def test_home_with_a_chosen_community_keeps_the_query_budget(client):
    choose(client, "LY-0001")
    assert queries_for(client, "/") <= 10


def test_large_text_mode_persists_across_pages(client):
    form = client.get("/display/", {"next": "/faq/"})
    assert form.status_code == 200 and 'name="mode" value="large"' in text(form)
    response = client.post("/display/", {"mode": "large", "next": "/faq/"})
    assert response.status_code == 302 and response["Location"] == "/faq/"
    assert response.cookies[DISPLAY_COOKIE].value == "large"
    for url in ("/", "/faq/", "/notices/"):
        body = text(client.get(url))
        assert '<html lang="zh-Hans" class="large-text">' in body
        assert "标准字体" in body
    client.post("/display/", {"mode": "standard", "next": "/"})
    assert '<html lang="zh-Hans">' in text(client.get("/"))


def test_display_switch_does_not_redirect_off_site(client):
    response = client.post("/display/", {"mode": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_display_switch_needs_a_csrf_token():
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    assert strict.post("/display/", {"mode": "large"}).status_code == 403


def test_pages_link_to_the_display_switch_without_a_csrf_token(client):
    body = text(client.get("/notices/"))
    assert 'href="/display/?next=/notices/"' in body
    assert "csrfmiddlewaretoken" not in body
