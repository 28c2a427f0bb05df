"""Staff edit a season's fee and refund rules in the Wagtail admin, as data; the form refuses
bands that overlap and dates that run backwards, and a published change reaches the
calculators."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from faq.models import QuestionPage
from fees.models import FeeCalculatorPage, FeeSeasonPage

pytestmark = pytest.mark.django_db


def season_form(bands=None, **overrides):
    faq = QuestionPage.objects.get(slug="residential-rate")
    bands = bands or [
        {"lower_celsius": "14", "upper_celsius": "16", "percent": "20", "label": "在14—16℃之间"},
        {"lower_celsius": "10", "upper_celsius": "14", "percent": "50", "label": "在10—14℃之间"},
        {"lower_celsius": "", "upper_celsius": "10", "percent": "100", "label": "低于10℃"},
    ]
    data = {
        "title": "2027—2028供热期收费标准",
        "slug": "2027-2028",
        "starts_on": "2027-10-20",
        "ends_on": "2028-04-05",
        "season_days": "167",
        "residential_price": "28.00",
        "non_residential_price": "32.00",
        "relief_per_sqm": "4",
        "basic_fee_percent": "20",
        "high_ceiling_threshold": "3",
        "high_ceiling_unit": "0.3",
        "high_ceiling_unit_percent": "5",
        "high_ceiling_cap_percent": "50",
        "garage_percent": "50",
        "garage_threshold": "4",
        "garage_surcharge_percent": "5",
        "refund_exclusions": "擅自拆、改室内供热设施影响供热的；",
        "refund_bands": inline_formset(bands),
        "rule_sources": inline_formset(
            [{"topic": "residential-price", "page": str(faq.pk), "anchor": ""}]
        ),
        **overrides,
    }
    return nested_form_data(data)


def add_url():
    parent = FeeCalculatorPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=("fees", "feeseasonpage", parent.pk))


def test_moderator_publishes_a_new_season_that_the_calculators_use(client, moderator):
    client.force_login(moderator)
    response = client.post(add_url(), {**season_form(), "action-publish": "publish"})
    assert response.status_code == 302, response.context["form"].errors
    season = FeeSeasonPage.objects.get(slug="2027-2028")
    assert season.live
    rules = season.fee_rules()
    assert rules.residential_price == Decimal("28.00")
    assert rules.high_ceiling_unit_surcharge == Decimal("0.05")
    assert [band.ratio for band in season.refund_rules().bands] == [
        Decimal("0.2"),
        Decimal("0.5"),
        Decimal("1"),
    ]
    response = client.post(
        "/fees/heating/", {"season": "2027-2028", "area": "100", "use": "residential"}
    )
    assert response.context["calculation"].amount == Decimal("2800.00")


def test_editor_can_draft_a_season(client, editor):
    client.force_login(editor)
    response = client.post(add_url(), season_form())
    assert response.status_code == 302
    assert not FeeSeasonPage.objects.get(slug="2027-2028").live


def test_overlapping_refund_bands_are_refused(client, moderator):
    client.force_login(moderator)
    bands = [
        {"lower_celsius": "12", "upper_celsius": "16", "percent": "20", "label": "12—16℃"},
        {"lower_celsius": "10", "upper_celsius": "14", "percent": "50", "label": "10—14℃"},
    ]
    response = client.post(add_url(), season_form(bands=bands))
    assert response.status_code == 200
    assert "退费档次“10—14℃”和“12—16℃”的温度范围重叠。" in response.content.decode()
    assert not FeeSeasonPage.objects.filter(slug="2027-2028").exists()


def test_band_with_lower_above_upper_is_refused(client, moderator):
    client.force_login(moderator)
    bands = [{"lower_celsius": "16", "upper_celsius": "14", "percent": "20", "label": "倒置"}]
    response = client.post(add_url(), season_form(bands=bands))
    assert "退费档次“倒置”的下限必须低于上限。" in response.content.decode()


def test_season_dates_must_run_forwards(client, moderator):
    client.force_login(moderator)
    response = client.post(add_url(), season_form(ends_on="2027-01-01", starts_on="2027-10-20"))
    assert "供热期结束日期必须晚于开始日期。" in response.content.decode()
    assert not FeeSeasonPage.objects.filter(slug="2027-2028").exists()


def test_edit_view_renders_the_demo_season(client, moderator):
    client.force_login(moderator)
    season = FeeSeasonPage.objects.get(slug="2026-2027")
    response = client.get(reverse("wagtailadmin_pages:edit", args=(season.pk,)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "室温不达标退费档次" in body and "在10—14℃之间" in body


def test_faq_editor_sees_the_calculator_fields(client, editor):
    client.force_login(editor)
    question = QuestionPage.objects.get(slug="high-ceiling-surcharge")
    response = client.get(reverse("wagtailadmin_pages:edit", args=(question.pk,)))
    assert response.status_code == 200
    assert "相关计算器" in response.content.decode()
