"""End-to-end journeys through the real site in Chromium: a resident finds their community and
its outage; a resident subscribes to SMS alerts with the texted code, then unsubscribes; an
editor writes an outage notice in the admin, a moderator approves it, and it is published on
the notice list and in the major-outage feed; a resident asks for a temperature check, the
station's desk takes it, measures and closes it in the admin, and the resident follows it on
the tracking page, rates it and finds it again by reference number.

The server's tasks run inline (the test settings' synchronous django-q2), so the texts they
send are in its SMS file by the time the page that queued them has loaded."""

import json
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.conf import settings
from playwright.sync_api import expect

from sms import mask_number
from tests.browser.helpers import DESKTOP, PHONE, admin_login, assert_accessible

# django_db: the server copies the test database, which pytest-django sets up only for tests
# that ask for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.clock]

# In the 1390000xxxx range, assigned to no one (tests/factories/alerts.py).
MOBILE = "13900000601"
SERVICE_MOBILE = "13900000602"


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


def texts_to(sms_file, phone: str, template_code: str) -> list[dict]:
    """The texts of one template sent to `phone`, oldest first (the file backend masks the
    number)."""
    texts = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    return [
        text
        for text in texts
        if text["template_code"] == template_code and text["numbers"] == [mask_number(phone)]
    ]


def texted_code(sms_file, phone: str) -> str:
    """The verification code last texted to `phone`."""
    codes = [
        text["params"]["code"]
        for text in texts_to(sms_file, phone, settings.SMS_VERIFY_TEMPLATE_CODE)
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


def close_date_picker(page) -> None:
    """Wagtail's date picker opens a moment after its field takes focus, and covers the fields
    below it. Wait until it is open, then close it as an editor would, by clicking outside it:
    in the title field at the top of the form, which it never covers. (Closing it before it
    has opened leaves it open.)"""
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    field(page, "textbox", "标题").click()
    expect(picker).to_have_count(0)


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
        close_date_picker(editor)
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


def open_step(page, title: str):
    """The form of a step on the admin's request page, unfolded (<details>)."""
    page.locator("summary").filter(has_text=title).click()
    return page.get_by_role("form", name=title)


def test_resident_asks_for_a_temperature_check_and_the_station_handles_it(new_page, server):
    # What the resident and the staff write, never on the tracking page.
    description, address = "卧室只有16度，暖气片上热下凉，申请上门测温。", "7号楼3单元602"
    contact_note = "电话联系用户，约定今天上门测温。"
    resolution = "暖气片排气后复测，室温回升，已向用户说明。"
    private = (SERVICE_MOBILE, description, address, contact_note, resolution)
    resident = new_page(PHONE)
    resident.goto("/")
    resident.get_by_role("navigation", name="主导航").get_by_role("link", name="在线办理").click()
    expect(heading(resident)).to_have_text("在线办理")
    resident.get_by_role("link", name=re.compile(r"^在线填写\s*：测温申请$")).click()
    expect(heading(resident)).to_have_text("测温申请")
    resident.get_by_role("searchbox", name=re.compile("小区名称或拼音首字母")).fill("xy")
    resident.get_by_role("button", name="查找", exact=True).click()
    resident.get_by_role("radio", name=re.compile("^星宇小区 ")).check()
    resident.get_by_label("诉求内容").fill(description)
    resident.get_by_label("门牌（楼栋、单元、房号）").fill(address)
    resident.get_by_label("手机号码").fill(SERVICE_MOBILE)
    resident.get_by_role("button", name="获取验证码").click()

    expect(heading(resident)).to_have_text("输入验证码")
    expect(resident.get_by_role("main")).to_contain_text(mask_number(SERVICE_MOBILE))
    assert_accessible(resident)
    code = texted_code(server.sms_file, SERVICE_MOBILE)
    resident.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    resident.get_by_role("button", name="提交诉求").click()
    expect(resident.get_by_label("短信验证码")).to_have_accessible_description(
        re.compile("验证码不正确。")
    )
    resident.get_by_label("短信验证码").fill(code)
    resident.get_by_role("button", name="提交诉求").click()

    expect(heading(resident)).to_have_text("办理进度")
    main = resident.get_by_role("main")
    expect(main).to_contain_text("待受理")
    expect(main).to_contain_text(mask_number(SERVICE_MOBILE))
    reference = resident.locator(".service-reference").inner_text()
    expect(resident.get_by_role("status")).to_contain_text(f"诉求已提交，编号{reference}")
    assert not [text for text in private if text in resident.content()]
    assert_accessible(resident)
    tracking_path = urlsplit(resident.url).path
    (receipt,) = texts_to(
        server.sms_file, SERVICE_MOBILE, settings.SMS_SERVICE_RECEIVED_TEMPLATE_CODE
    )
    assert receipt["params"]["reference"] == reference
    assert receipt["params"]["station"] == "第一供热所"
    assert urlsplit(receipt["params"]["link"]).path == tracking_path

    staff = new_page(DESKTOP)
    admin_login(staff, "browser-desk")
    staff.get_by_role("navigation", name="主菜单").get_by_role("link", name="服务诉求").click()
    row = staff.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("测温申请")
    expect(row).to_contain_text("待受理")
    expect(row).to_contain_text(mask_number(SERVICE_MOBILE))
    assert_accessible(staff)
    row.get_by_role("link", name=reference).click()
    expect(heading(staff)).to_contain_text(reference)
    # The staff see what they need to call and visit.
    expect(staff.get_by_role("main")).to_contain_text(SERVICE_MOBILE)
    expect(staff.get_by_role("main")).to_contain_text(address)
    assert_accessible(staff)

    staff.get_by_role("button", name="受理该诉求（由我首问负责）").click()
    expect(staff.get_by_text("已受理，您是该诉求的首问负责人。")).to_be_visible()

    step = open_step(staff, "联系用户 / 上门服务 / 办理记录")
    step.get_by_role("radio", name="联系用户").check()
    field(step, "textbox", "办理情况").fill(contact_note)
    step.get_by_role("button", name="保存记录").click()
    expect(staff.get_by_text("办理记录已保存。")).to_be_visible()

    # Seed 004's method: under 20 ㎡ one point, doors closed for 3 hours or more, signed.
    doors_closed = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(hours=4)
    step = open_step(staff, "入户测温")
    field(step, "textbox", "房间").fill("主卧")
    field(step, "spinbutton", "房间面积（㎡）").fill("16")
    field(step, "spinbutton", "测点1读数（℃）").fill("16.5")
    field(step, "textbox", "门窗关闭时间").fill(doors_closed.strftime("%Y-%m-%d %H:%M"))
    staff.keyboard.press("Escape")  # closes the date picker
    step.get_by_role("radio", name="住户已签字").check()
    step.get_by_role("button", name="保存测温记录").click()
    expect(staff.get_by_text("测温记录已保存。")).to_be_visible()
    readings = staff.get_by_role("region", name="入户测温记录")
    expect(readings).to_contain_text("16.5")
    expect(readings).to_contain_text("不达标")

    step = open_step(staff, "办结")
    field(step, "textbox", "办理结果").fill(resolution)
    step.get_by_role("button", name="办结并通知用户").click()
    expect(staff.get_by_text("诉求已办结，已通知用户评价，回访已排期。")).to_be_visible()
    # Checked again without the confirmation: axe reads Wagtail's own message while it fades
    # in, short of contrast.
    staff.reload()
    expect(staff.get_by_role("main")).to_contain_text(resolution)
    assert_accessible(staff)
    (closing,) = texts_to(
        server.sms_file, SERVICE_MOBILE, settings.SMS_SERVICE_CLOSED_TEMPLATE_CODE
    )
    assert closing["params"]["reference"] == reference
    assert urlsplit(closing["params"]["link"]).path == tracking_path

    resident.reload()
    expect(main).to_contain_text("已办结")
    assert not [text for text in private if text in resident.content()]
    expect(resident.get_by_role("table")).to_contain_text("16.5℃")
    assert_accessible(resident)  # with the readings and the rating form
    resident.get_by_role("radio", name="满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_role("status")).to_have_text("感谢您的评价！")
    expect(main).to_contain_text("您的评价：满意。感谢您的反馈！")
    expect(resident.get_by_role("button", name="提交评价")).to_have_count(0)

    resident.goto("/service/")
    lookup = resident.get_by_role("region", name="查询办理进度")
    lookup.get_by_label("诉求编号").fill(reference)
    lookup.get_by_label("手机号后四位").fill(SERVICE_MOBILE[-4:])
    lookup.get_by_role("button", name="查询").click()
    expect(heading(resident)).to_have_text("办理进度")
    assert urlsplit(resident.url).path == tracking_path
    expect(main).to_contain_text("已办结")
