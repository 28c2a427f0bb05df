"""The check that Chinese is drawn (helpers.assert_chinese_renders, part of every accessibility
check) is itself tested: it passes in the Chromium the other tests use, and fails, naming the
font used and the package to install, in a second Chromium whose fontconfig hides every font for
Chinese, Japanese and Korean, as on a machine without fonts-noto-cjk."""

import os
import re

import pytest

from tests.browser.helpers import CHROMIUM_ARGS, PHONE, TIMEOUT_MS, assert_chinese_renders

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The system's configuration, less the fonts that declare a CJK language.
NO_CJK_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont>
    <rejectfont>
      <pattern><patelt name="lang"><string>zh-cn</string></patelt></pattern>
      <pattern><patelt name="lang"><string>zh-tw</string></patelt></pattern>
      <pattern><patelt name="lang"><string>ja</string></patelt></pattern>
      <pattern><patelt name="lang"><string>ko</string></patelt></pattern>
    </rejectfont>
  </selectfont>
</fontconfig>
"""


@pytest.fixture(scope="module")
def browser_without_cjk_fonts(browser, chromium, tmp_path_factory):
    fonts_conf = tmp_path_factory.mktemp("no-cjk-fonts") / "fonts.conf"
    fonts_conf.write_text(NO_CJK_FONTS)
    # Launched by the Playwright of `browser`: a thread runs one at a time.
    without = browser.browser_type.launch(
        executable_path=chromium,
        args=CHROMIUM_ARGS,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
    )
    yield without
    without.close()


@pytest.fixture
def page_without_cjk_fonts(browser_without_cjk_fonts, server):
    context = browser_without_cjk_fonts.new_context(
        base_url=server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_chinese_is_drawn_in_the_test_browser(new_page):
    page = new_page(PHONE)
    assert page.goto("/").status == 200
    assert_chinese_renders(page)


def test_without_cjk_fonts_the_check_fails_naming_the_font_and_the_package(
    page_without_cjk_fonts,
):
    page = page_without_cjk_fonts
    assert page.goto("/").status == 200
    with pytest.raises(AssertionError) as failure:
        assert_chinese_renders(page)
    message = str(failure.value)
    drawn = re.search(r"is drawn in (.+), which has no glyph for (\S+) ", message)
    assert drawn, message
    fonts, missing = drawn.groups()
    assert re.fullmatch(r"[^()]+ \(\d+ glyphs\)(, [^()]+ \(\d+ glyphs\))*", fonts), message
    assert "CJK" not in fonts, message
    assert re.fullmatch(r"[\u3001-\u9fff\uff01-\uff60]+", missing), message
    assert "install the Debian package fonts-noto-cjk (or another CJK font)" in message
