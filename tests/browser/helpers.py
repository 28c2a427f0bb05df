"""What the browser tests share: where Chromium, axe-core and the screenshots are, the two
window sizes, and the accessibility check."""

import re
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "artifacts/screenshots"
# Without the background-networking flags Chromium keeps calling Google's services, which a
# closed network refuses, slowly.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000  # two slow cores, shared with other test runs


def assert_accessible(page) -> None:
    """axe-core's WCAG 2.1 A and AA rules find nothing on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
        })"""
    )
    report = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
        for violation in results["violations"]
    ]
    assert not report, f"{page.url}:\n" + "\n".join(report)


def save_screenshot(page, name: str) -> None:
    """The whole page, as artifacts/screenshots/NAME.png (CI keeps the folder)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def admin_login(page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("用户名").fill(username)
    # Wagtail 8 leaves this label untranslated.
    page.get_by_label(re.compile("密码|Password")).fill("pw-" + username)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile("/admin/$"))
