"""What the browser tests share: where Chromium, axe-core and the screenshots are, the two
window sizes, and the accessibility check, which includes the check that Chinese is drawn."""

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

# The Chinese characters (Han, CJK punctuation, full-width forms) of the page's visible text
# that its fonts draw exactly as they draw U+10FFFD, a private-use codepoint no font has: as the
# empty box (tofu) of a font without the glyph. Each character is drawn on a canvas in the font
# of the element holding it, where Chromium falls back to other fonts as it does for the page.
# Returns the first element with such characters, or null.
FIND_TOFU = r"""async () => {
  await document.fonts.ready;
  const chinese = /[\p{Script=Han}\u3001-\u303f\uff01-\uff60]/gu;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const context = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (font, character) => {
    context.font = font;
    context.clearRect(0, 0, 48, 48);
    context.fillText(character, 4, 36);
    return context.getImageData(0, 0, 48, 48).data.join();
  };
  const drawn = new Map();
  const isTofu = (font, character) => {
    const key = `${font} ${character}`;
    if (!drawn.has(key)) drawn.set(key, draw(font, character) === draw(font, "\u{10FFFD}"));
    return drawn.get(key);
  };
  const selector = (element) => {
    const steps = [];
    for (let node = element; node !== document.documentElement; node = node.parentElement) {
      if (node.id) {
        steps.unshift(`#${CSS.escape(node.id)}`);
        break;
      }
      const index = [...node.parentElement.children].indexOf(node) + 1;
      steps.unshift(`${node.localName}:nth-child(${index})`);
    }
    return steps.join(" > ");
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const element = text.parentElement;
    const characters = text.data.match(chinese);
    if (!characters || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
    const missing = [...new Set(characters)].filter((character) => isTofu(font, character));
    if (missing.length) {
      return {
        selector: selector(element),
        text: element.textContent.replace(/\s+/g, " ").trim().slice(0, 40),
        fontFamily: style.fontFamily,
        missing: missing.join(""),
      };
    }
  }
  return null;
}"""


def assert_chinese_renders(page) -> None:
    """Chromium draws every Chinese character on the page with a glyph: on a machine without a
    font for Chinese, screenshots and readers would see rows of empty boxes."""
    tofu = page.evaluate(FIND_TOFU)
    assert tofu is None, (
        f"{page.url}: Chinese is drawn as empty boxes (tofu): {tofu['selector']} "
        f'"{tofu["text"]}" (font-family: {tofu["fontFamily"]}) is drawn in '
        f"{platform_fonts(page, tofu['selector'])}, which has no glyph for {tofu['missing']} "
        "(each looks like U+10FFFD, which no font has): no font Chromium can use has them; "
        "install the Debian package fonts-noto-cjk (or another CJK font)."
    )


def platform_fonts(page, selector: str) -> str:
    """The fonts Chromium used for the text of the element, as the DevTools protocol reports
    them (CSS.getPlatformFontsForNode), e.g. "Liberation Sans (12 glyphs)"."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        cdp.send("CSS.enable")
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return ", ".join(f"{font['familyName']} ({font['glyphCount']} glyphs)" for font in fonts)


def assert_accessible(page) -> None:
    """The page's Chinese is drawn (assert_chinese_renders) and axe-core's WCAG 2.1 A and AA
    rules find nothing on the page as it is now."""
    assert_chinese_renders(page)
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
