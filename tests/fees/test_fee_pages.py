"""The public calculators on the demo season's rules (seed 000 prices, seed 004 refund bands):
forms that post back, results with their working and sources, Chinese validation messages,
CSRF, rate limit, pre-filled links from the FAQ, and rules edited as data."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from faq.models import QuestionPage
from fees.models import FeeCalculatorPage, FeeSeasonPage
from regulations.models import RegulationPage
from tests.support import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

HEATING = "/fees/heating/"
RESUME = "/fees/resume/"
REFUND = "/fees/refund/"
AREA = "/fees/area/"


def post(client, url, data, status=200):
    response = client.post(url, {"season": "2026-2027", **data})
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def amount(response) -> Decimal:
    return response.context["calculation"].amount


def text(response) -> str:
    return response.content.decode()


def test_index_lists_the_calculators_and_the_season(client):
    response = client.get("/fees/")
    assert response.status_code == 200
    for url in (HEATING, RESUME, REFUND, AREA):
        assert f'href="{url}"' in text(response)
    assert "2026—2027供热期收费标准" in text(response)


def test_season_page_publishes_the_rules(client):
    body = text(client.get("/fees/2026-2027/"))
    assert "每平方米27.00元" in body
    assert "每超高0.3米（不足按0.3米计）加收5%，最高加价50%" in body
    assert "按非居民热价的50%收取" in body
    assert "在10—14℃之间" in body and "50%" in body
    assert "发生不可抗力事件，造成无法正常供热的。" in body


def test_residential_fee_shows_its_working_and_sources(client):
    response = post(client, HEATING, {"area": "85.5", "use": "residential"})
    assert amount(response) == Decimal("2308.50")
    body = text(response)
    assert "27.00 元/㎡ × 85.50 ㎡ = 2308.50 元" in body
    residential_faq = QuestionPage.objects.get(slug="residential-rate")
    assert f'href="{residential_faq.url}"' in body
    assert "依据：" in body


def test_garage_is_half_the_non_residential_price(client):
    response = post(client, HEATING, {"area": "20", "use": "non-residential", "garage": "on"})
    assert "31.00 元/㎡ × 50% = 15.50 元/㎡" in text(response)
    assert amount(response) == Decimal("310.00")
    garage_faq = QuestionPage.objects.get(slug="public-garage")
    assert f'href="{garage_faq.url}"' in text(response)


@pytest.mark.parametrize(
    ("height", "expected"),
    [("3.0", "3100.00"), ("3.01", "3255.00"), ("3.31", "3410.00"), ("6.0", "4650.00")],
)
def test_high_ceiling_surcharge_through_the_form(client, height, expected):
    data = {"area": "100", "use": "industrial-school-commercial", "ceiling_height": height}
    assert amount(post(client, HEATING, data)) == Decimal(expected)


def test_suspended_home_with_relief(client):
    data = {"area": "100", "use": "residential", "suspended": "on", "relief": "on"}
    response = post(client, HEATING, data)
    # (27 − 4) × 100 × 20 %
    assert amount(response) == Decimal("460.00")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"area": "-10", "use": "residential"}, "area", "面积必须大于0平方米。"),
        ({"area": "abc", "use": "residential"}, "area", "请输入数字，如 85.5。"),
        ({"area": "", "use": "residential"}, "area", "请填写建筑面积（㎡）。"),
        ({"area": "500000", "use": "residential"}, "area", "面积超过100000平方米，请核对输入。"),
        (
            {"area": "100", "use": "industrial-school-commercial", "ceiling_height": "45"},
            "ceiling_height",
            "层高不能超过30米，请核对输入。",
        ),
        (
            {"area": "100", "use": "non-residential", "relief": "on"},
            "relief",
            "低保减免只适用于居民住宅。",
        ),
        ({"area": "100", "use": "villa"}, "use", "请选择房屋用途。"),
    ],
)
def test_heating_form_refuses_bad_input_in_chinese(client, data, field, message):
    response = post(client, HEATING, data, status=400)
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert response.context["calculation"] is None


def test_resume_by_date_counts_the_days_to_the_season_end(client):
    # 2027-01-05 → 2027-04-05 is 90 days; 2700 ÷ 167 × 90 = 1455.09, less 540.00 paid.
    response = post(client, RESUME, {"season_total": "2700", "resumed_on": "2027-01-05"})
    assert amount(response) == Decimal("915.09")
    assert "2700.00 元 ÷ 167 天 × 90 天" in text(response)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"season_total": "2700", "days": "200"}, "days", "恢复供热后天数不能超过供热期的167天。"),
        ({"season_total": "2700"}, "days", "请填写恢复供热日期或恢复供热后天数。"),
        (
            {"season_total": "2700", "resumed_on": "2027-05-01"},
            "resumed_on",
            "恢复供热日期应在供热期（2026-10-20至2027-04-05）内。",
        ),
        ({"season_total": "2700", "days": "-3"}, "days", "天数不能为负数。"),
    ],
)
def test_resume_form_refuses_bad_input(client, data, field, message):
    response = post(client, RESUME, data, status=400)
    assert response.context["form"].errors[field] == [message]


def test_refund_by_band_with_exclusions_shown(client):
    page = client.get(REFUND)
    assert "不予退费" in text(page)
    assert "室内装修致使散热器无法正常散热的；" in text(page)
    # 27 × 100 ÷ 167 per day: 10 days at 20 %, 5 at 50 %, 2 at 100 %.
    response = post(
        client,
        REFUND,
        {"price": "27", "area": "100", "band_1": "10", "band_2": "5", "band_3": "2"},
    )
    expected = (Decimal(2700) * (Decimal("0.2") * 10 + Decimal("0.5") * 5 + 2) / 167).quantize(
        Decimal("0.01")
    )
    assert amount(response) == expected == Decimal("105.09")
    refund_faq = QuestionPage.objects.get(slug="temperature-refund")
    assert f'href="{refund_faq.url}"' in text(response)


def test_refund_days_cannot_exceed_the_season(client):
    response = post(
        client, REFUND, {"price": "27", "area": "100", "band_1": "100", "band_2": "80"}, status=400
    )
    assert "室温不达标天数合计不能超过供热期的167天。" in text(response)


def test_area_result_links_to_the_heating_calculator(client):
    data = {"space": "attic", "height_1": "2.5", "area_1": "20", "height_2": "1.5", "area_2": "8"}
    response = post(client, AREA, data)
    assert amount(response) == Decimal("24.00")
    assert f'href="{HEATING}?area=24.00"' in text(response)
    prefilled = client.get(f"{HEATING}?area=24.00")
    assert 'value="24.00"' in text(prefilled)


def test_area_portion_needs_both_figures(client):
    response = post(client, AREA, {"space": "basement", "height_1": "2.5"}, status=400)
    assert response.context["form"].errors["area_1"] == ["同一部分的高度和面积都要填写。"]


def test_get_prefills_but_does_not_calculate(client):
    response = client.get(f"{HEATING}?use=industrial-school-commercial&ceiling_height=4.5&x=1")
    assert response.status_code == 200
    assert response.context["calculation"] is None
    form = response.context["form"]
    assert form.initial == {"use": "industrial-school-commercial", "ceiling_height": "4.5"}
    assert re.search(r'value="industrial-school-commercial"[^>]*checked', text(response))


def test_calculators_need_a_csrf_token():
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    assert strict.post(HEATING, {"area": "10", "use": "residential"}).status_code == 403
    page = strict.get(HEATING)
    token = page.cookies["csrftoken"].value
    response = strict.post(
        HEATING, {"area": "10", "use": "residential", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200


def test_calculations_are_rate_limited_per_address(client, clock):
    clock("2026-12-04T10:23:20", tick=False)  # in the window 10:20—10:30
    for _ in range(60):
        post(client, HEATING, {"area": "10", "use": "residential"})
    response = post(client, HEATING, {"area": "10", "use": "residential"}, status=429)
    assert "计算太频繁，请十分钟后再试。" in text(response)
    assert response["Retry-After"] == "400"  # when the window ends
    assert response.context["calculation"] is None
    assert 'value="10"' in text(response)  # what was typed is kept
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.0.0.9")
    post(other, HEATING, {"area": "10", "use": "residential"})


@pytest.mark.parametrize("url", ["/fees/", "/fees/2026-2027/", HEATING, RESUME, REFUND, AREA])
def test_query_budget_for_calculator_views(client, url):
    assert queries_for(client, url) <= 10


def test_query_budget_for_a_calculation(client):
    data = {"season": "2026-2027", "area": "85.5", "use": "residential"}
    client.post(HEATING, data)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(HEATING, data)
    assert response.status_code == 200
    assert len(captured) <= 10


def test_rules_are_data_a_published_price_change_reaches_the_calculator(client):
    season = FeeSeasonPage.objects.get(slug="2026-2027")
    revision_page = season.get_latest_revision_as_object()
    revision_page.residential_price = Decimal("25.50")
    revision_page.save_revision().publish()
    response = post(client, HEATING, {"area": "100", "use": "residential"})
    assert amount(response) == Decimal("2550.00")
    assert "25.50 元/㎡" in text(response)


def test_latest_started_season_is_current_and_others_can_be_chosen(client):
    calculators = FeeCalculatorPage.objects.get()
    current = FeeSeasonPage.objects.get(slug="2026-2027")
    older = current.copy(
        to=calculators,
        update_attrs={
            "slug": "2025-2026",
            "title": "2025—2026供热期收费标准",
            "starts_on": current.starts_on.replace(year=2025),
            "ends_on": current.ends_on.replace(year=2026),
            "residential_price": Decimal("26"),
        },
    )
    older.save_revision().publish()
    page = client.get(HEATING)
    assert page.context["season"].pk == current.pk
    assert 'id="id_season"' in text(page)  # two seasons: a choice
    response = client.post(HEATING, {"season": "2025-2026", "area": "100", "use": "residential"})
    assert amount(response) == Decimal("2600.00")


def test_faq_answers_link_to_the_prefilled_calculator(client):
    question = QuestionPage.objects.get(slug="high-ceiling-surcharge")
    link = f"{HEATING}?use=industrial-school-commercial&amp;ceiling_height=4.5"
    assert f'href="{link}"' in text(client.get(question.url))
    assert f'href="{link}"' in text(client.get(question.get_parent().url))
    followed = client.get(f"{HEATING}?use=industrial-school-commercial&ceiling_height=4.5")
    assert 'value="4.5"' in text(followed)


def test_question_without_calculator_has_no_link(client):
    question = QuestionPage.objects.get(slug="customer-number")
    assert "按您的情况算一算" not in text(client.get(question.url))


@pytest.mark.parametrize(
    ("calculator", "prefill", "message"),
    [
        ("heating", "area=10&colour=red", "计算器不认识这些项目：colour"),
        ("", "area=10", "填写预填内容前请先选择计算器。"),
    ],
)
def test_faq_prefill_is_checked_when_the_editor_saves(calculator, prefill, message):
    question = QuestionPage.objects.get(slug="residential-rate")
    question.calculator, question.calculator_prefill = calculator, prefill
    with pytest.raises(ValidationError) as raised:
        question.full_clean()
    assert message in str(raised.value.message_dict["calculator_prefill"])


def test_a_step_can_cite_a_regulation_article(client):
    season = FeeSeasonPage.objects.get(slug="2026-2027")
    rulebook = RegulationPage.objects.get(slug="rulebook")
    source = season.rule_sources.get(topic="residential-price")
    source.page, source.anchor = rulebook, "article-4"
    source.save()
    response = post(client, HEATING, {"area": "10", "use": "residential"})
    assert f'href="{rulebook.url}#article-4"' in text(response)
    assert 'id="article-4"' in text(client.get(rulebook.url))


@pytest.mark.parametrize("send", ["get", "post"])
def test_an_unknown_season_is_refused_not_replaced(client, send):
    """A season that is not published is refused with 400, never calculated on the current
    season's rules instead."""
    data = {"season": "1999-2000", "area": "100", "use": "residential"}
    response = getattr(client, send)(HEATING, data)
    assert response.status_code == 400
    assert "没有这个供热期，请从列表中选择供热期。" in text(response)
    assert response.context["calculation"] is None


@pytest.mark.parametrize("typed", ["１００", "１００．０", "100"])
def test_full_width_figures_are_read_as_ascii(client, typed):
    """Chinese input methods type full-width digits: NFKC makes them ASCII."""
    response = post(client, HEATING, {"area": typed, "use": "residential"})
    assert amount(response) == Decimal("2700.00")


@pytest.mark.parametrize("typed", ["١٠٠", "१००", "1e2", "100㎡"])
def test_numbers_in_other_scripts_are_refused(client, typed):
    """Decimal() and int() read Arabic-Indic or Devanagari digits and exponents: NFKC then
    ASCII digits only."""
    response = post(client, HEATING, {"area": typed, "use": "residential"}, status=400)
    assert response.context["form"].errors["area"] == ["请输入数字，如 85.5。"]
    response = post(client, RESUME, {"season_total": "2700", "days": "١٠"}, status=400)
    assert response.context["form"].errors["days"] == ["天数必须是整数。"]
