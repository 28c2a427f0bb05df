"""End-to-end journeys through the real site in Chromium: a resident finds their community and
its outage; a resident subscribes to SMS alerts with the texted code, then unsubscribes; an
editor writes an outage notice in the admin, a moderator approves it, and it is published on
the notice list and in the major-outage feed."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from playwright.sync_api import expect

from alerts.sms import mask_number
from tests.browser.helpers import DESKTOP, PHONE, admin_login, assert_accessible

# django_db: the server copies the test database, which pytest-django sets up only for tests
# that ask for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MOBILE = "13900000601"  # in the 1390000xxxx range, assigned to no one (tests/factories/alerts.py)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_resident_finds_their_community_and_sees_its_outage(new_page):
    page = new_page(PHONE)
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="联系名录").click()
    page.get_by_role("searchbox", name=re.compile("查找小区")).fill("xy")  # pinyin initials
    page.get_by_role("button", name="查找", exact=True).click()
    expect(page.get_by_role("heading", name="查找结果")).to_be_visible()
    page.get_by_role("link", name="星宇小区", exact=True).click()

    expect(heading(page)).to_have_text("星宇小区")
    outages = page.get_by_role("region", name="停水停气停热")
    notice = outages.get_by_role("listitem").filter(has_text="绿园区星宇东泵站停水通知")
    expect(notice).to_contain_text("预告")
    expect(notice).to_contain_text("8小时以上")
    notice.get_by_role("link", name="绿园区星宇东泵站停水通知").click()
    expect(heading(page)).to_have_text("绿园区星宇东泵站停水通知")
    expect(page.get_by_role("main")).to_contain_text("泵站计划性清洗水箱")


def test_resident_picks_my_community_once_and_the_home_page_leads_with_it(new_page):
    page = new_page(PHONE)
    page.goto("/")
    mine = page.get_by_role("region", name="我的小区")
    mine.get_by_role("searchbox", name=re.compile("小区名称或拼音首字母")).fill("xy")
    mine.get_by_role("button", name="查找", exact=True).click()
    page.get_by_role("button", name=re.compile("^星宇小区")).click()

    expect(page).to_have_url(re.compile(r"/#my-community$"))
    mine = page.get_by_role("region", name="我的小区：星宇小区")
    expect(mine.get_by_role("listitem").filter(has_text="绿园区星宇东泵站停水通知")).to_be_visible()
    expect(mine.locator('a[href^="tel:"]').first).to_be_visible()
    expect(mine.get_by_role("button", name="获取验证码")).to_be_visible()
    # Remembered: a later visit leads with it too.
    page.goto("/faq/")
    page.goto("/")
    expect(page.get_by_role("region", name="我的小区：星宇小区")).to_be_visible()


def texted_code(sms_file, phone: str) -> str:
    """The verification code last texted to `phone` (the file backend masks the number)."""
    texts = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    codes = [
        text["params"]["code"]
        for text in texts
        if text["template_code"] == "SMS_VERIFY" and text["numbers"] == [mask_number(phone)]
    ]
    assert codes, f"no code was texted to {phone}"
    return codes[-1]


def test_resident_subscribes_with_the_texted_code_and_unsubscribes(new_page, server):
    page = new_page(PHONE)
    page.goto("/directory/LY-0001/")
    form = page.get_by_role("region", name="订阅星宇小区的停供短信")
    form.get_by_label("手机号码").fill(MOBILE)
    form.get_by_label(re.compile("^我同意接收停供短信")).check()
    form.get_by_role("button", name="获取验证码").click()

    expect(heading(page)).to_have_text("输入验证码")
    assert_accessible(page)
    page.get_by_label("短信验证码").fill(texted_code(server.sms_file, MOBILE))
    page.get_by_role("button", name="完成订阅").click()
    expect(heading(page)).to_have_text("订阅成功")
    expect(page.get_by_role("main")).to_contain_text(mask_number(MOBILE))
    assert_accessible(page)

    page.get_by_role("link", name="退订短信").click()
    expect(heading(page)).to_have_text("退订短信")
    page.get_by_role("button", name="确认退订").click()
    expect(heading(page)).to_have_text("已退订")


def field(page, role: str, label: str):
    """A Wagtail form field by its label, which ends in * when required. (get_by_label would
    also find the panel of the same name.)"""
    return page.get_by_role(role, name=re.compile(rf"^{re.escape(label)}\*?$"))


def test_editor_writes_an_outage_a_moderator_approves_and_it_is_published(new_page):
    title = "铁路小区换热站检修停热通知"
    # Three days ahead, beyond the 48 hours' notice of a planned outage; 10 hours: major.
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    starts = (now + timedelta(days=3)).replace(hour=8, minute=0)
    ends = starts + timedelta(hours=10)

    editor = new_page(DESKTOP)
    admin_login(editor, "browser-editor")
    editor.goto("/admin/pages/")
    editor.get_by_role("link", name="查看'首页'的子页面").click()
    editor.get_by_role("link", name="查看'停水停气停热通知'的子页面").click()
    editor.get_by_role("link", name="添加子页面").first.click()
    field(editor, "textbox", "标题").fill(title)
    field(editor, "combobox", "类型").select_option(label="停热")
    field(editor, "textbox", "原因").fill("换热站设备检修")
    for label, moment in (("开始时间", starts), ("结束时间", ends)):
        field(editor, "textbox", label).fill(moment.strftime("%Y-%m-%d %H:%M"))
        editor.keyboard.press("Escape")  # closes the date picker, which covers other fields
    field(editor, "textbox", "停供设施或片区").fill("宽城区铁路小区换热站")
    field(editor, "listbox", "影响小区").select_option(label="铁路小区")
    editor.get_by_role("button", name="更多动作").click()
    editor.get_by_role("button", name="提交给内容审核").click()
    expect(editor.get_by_text(f"页面 '{title}' 已创建并提交审核。")).to_be_visible()
    assert title not in editor.request.get("/notices/").text()  # not published yet

    moderator = new_page(DESKTOP)
    admin_login(moderator, "browser-moderator")
    awaiting = moderator.get_by_role("region", name="等待你的审查").get_by_role("row")
    submitted = awaiting.filter(has_text=title)
    submitted.get_by_role("button", name="动作").click()
    moderator.get_by_role("button", name="批准", exact=True).click()
    expect(submitted).to_have_count(0)

    resident = new_page(PHONE)
    resident.goto("/notices/")
    card = resident.get_by_role("listitem").filter(has_text=title)
    expect(card).to_contain_text("预告")
    expect(card).to_contain_text("8小时以上")
    feed = feedparser.parse(resident.request.get("/feeds/major.rss").body())
    assert f"【预告】{title}" in [entry.title for entry in feed.entries]
