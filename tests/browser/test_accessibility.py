"""WCAG 2.1 AA: axe-core finds no violation on the key public pages, at phone and desktop
sizes, nor on the states a form only shows after input (a calculation's result, the service
desk's validation errors and failed lookup, large text). The phone-size view of each page is
saved as a screenshot (artifacts/screenshots/)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, assert_accessible, save_screenshot

# django_db: the server copies the test database, which pytest-django sets up only for tests
# that ask for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = {
    "home": "/",
    "notice-list": "/notices/",
    "notice": "/notices/xingyu-east-pump-station-water/",
    "faq": "/faq/",
    "commitments": "/commitments/",
    "commitment-table": "/commitments/service-standard/",
    "directory": "/directory/",
    "community": "/directory/LY-0001/",
    "search": "/search/?q=星宇",
    "subscribe": "/sms/subscribe/",
    "fees": "/fees/",
    "fee-calculator": "/fees/heating/",
    "my-community": "/my-community/?q=xy",
    "display-settings": "/display/",
    "service": "/service/",
    "service-community-search": "/service/temperature/?q=xy",
    "service-form": "/service/suspension/?community=LY-0001",
    "service-compliance": "/service/compliance/",
    "collection": "/first-station-water-7-days/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(new_page, name, viewport):
    page = new_page(viewport)
    response = page.goto(PAGES[name])
    assert response.status == 200, PAGES[name]
    if viewport == PHONE:
        save_screenshot(page, name)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_calculation_with_its_working_is_accessible(new_page, viewport):
    page = new_page(viewport)
    page.goto("/fees/heating/")
    page.get_by_label("建筑面积（㎡）").fill("85.5")
    page.get_by_label("工业企业、学校及经营性房屋").check()
    page.get_by_label("结构层高（米）").fill("4.5")
    page.get_by_role("button", name="计算").click()
    result = page.get_by_role("region", name="计算结果")
    assert "3313.13" in result.inner_text()  # 31 元/㎡ × 1.25 × 85.5 ㎡ = 3313.125, to the fen
    if viewport == PHONE:
        save_screenshot(page, "fee-result")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_service_form_errors_and_a_failed_lookup_are_accessible(new_page, viewport):
    page = new_page(viewport)
    page.goto("/service/suspension/?community=LY-0001")
    page.get_by_role("button", name="获取验证码").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("请修改以下内容后再提交")
    # Each error is linked from the summary and read with its field.
    summary.get_by_role("link", name="诉求内容：请填写诉求内容。").click()
    expect(page.get_by_label("诉求内容")).to_be_focused()
    expect(page.get_by_label("诉求内容")).to_have_accessible_description(
        re.compile("请填写诉求内容。")
    )
    expect(page.get_by_label("供暖卡号")).to_have_accessible_description(
        re.compile("请填写供暖卡号。")
    )
    if viewport == PHONE:
        save_screenshot(page, "service-form-errors")
    assert_accessible(page)

    page.goto("/service/")
    lookup = page.get_by_role("region", name="查询办理进度")
    lookup.get_by_label("诉求编号").fill("20200101-AAAAAA")
    lookup.get_by_label("手机号后四位").fill("1234")
    lookup.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_have_text(
        "没有找到相符的诉求，请核对诉求编号和手机号后四位。"
    )
    if viewport == PHONE:
        save_screenshot(page, "service-lookup-failed")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_large_text_mode_is_accessible_and_persists(new_page, viewport):
    page = new_page(viewport)
    page.goto("/display/?next=/notices/")
    page.get_by_label("大字、高对比（适合老年人）").check()
    page.get_by_role("button", name="保存").click()
    assert page.url.endswith("/notices/")
    assert page.locator("html.large-text").count() == 1
    page.goto("/")
    assert page.locator("html.large-text").count() == 1
    if viewport == PHONE:
        save_screenshot(page, "home-large-text")
    assert_accessible(page)
