"""The Content-Security-Policy (config/csp.py) in a real browser: Chromium reports every
violation, so a page that breaks the policy (an inline script on a public page, a style
attribute, a script the Wagtail admin cannot do without) fails here. And the admin's scripts
must really run under its policy: its menu, the date pickers (started by inline scripts) and
the notice map widget (a script file) work."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, TIMEOUT_MS, admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Collects the browser's securitypolicyviolation events before any script of the page runs.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""
PUBLIC_PAGES = [
    "/",
    "/notices/",
    "/notices/xingyu-east-pump-station-water/",  # a notice with its map
    "/directory/",
    "/directory/LY-0001/",
    "/search/?q=星宇",
    "/fees/",
    "/service/",
    "/service/temperature/?community=LY-0001",
    "/service/compliance/",
]


@pytest.fixture
def enforcing_page(browser, server):
    """enforcing_page(viewport) -> a page whose browser context enforces the policy (new_page's
    bypass it, to inject axe-core) and records its violations and console errors about it."""
    contexts = []

    def enforcing_page(viewport):
        context = browser.new_context(
            base_url=server.url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return watched(context.new_page())

    yield enforcing_page
    for context in contexts:
        context.close()


def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_console = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_console.append(message.text)
        ),
    )
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.csp_console


def test_public_pages_break_nothing_in_the_strict_policy(enforcing_page):
    page = enforcing_page(PHONE)
    for path in [*PUBLIC_PAGES, faq_question(page)]:
        response = page.goto(path)
        assert response.ok, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert violations(page) == [], path


def faq_question(page) -> str:
    """A FAQ question page: it carries JSON-LD, an inline script the policy must not block."""
    page.goto("/faq/")
    link = page.locator("main a[href^='/faq/']").filter(has_not_text="全部").first
    return link.get_attribute("href")


def test_the_admin_runs_its_scripts_under_its_policy(enforcing_page):
    page = enforcing_page(DESKTOP)
    admin_login(page, "browser-editor")
    expect(page.get_by_role("navigation", name="主菜单")).to_be_visible()  # sidebar.js

    page.goto("/admin/pages/")
    page.get_by_role("link", name="查看'首页'的子页面").click()
    page.get_by_role("link", name="查看'停水停气停热通知'的子页面").click()
    page.get_by_role("link", name=re.compile("星宇东泵站")).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert "'unsafe-inline'" in page.evaluate(
        "async () => (await fetch(location.href)).headers.get('content-security-policy')"
    )
    page.get_by_role("textbox", name=re.compile(r"^开始时间\*?$")).click()
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)  # inline script
    page.keyboard.press("Escape")
    expect(page.locator("[data-polygon-widget] [data-map]")).to_be_visible()  # widget script
    assert violations(page) == []

    page.goto("/")  # a public page with Wagtail's user bar for the editor
    expect(page.locator("wagtail-userbar")).to_be_attached()
    page.wait_for_load_state("load")
    assert violations(page) == []


def test_the_service_desk_in_the_admin_keeps_to_its_policy(enforcing_page):
    page = enforcing_page(DESKTOP)
    admin_login(page, "browser-desk")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="服务诉求").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("服务诉求")
    page.wait_for_load_state("load")
    assert violations(page) == []
