"""QR images drawn locally: a PNG and an SVG of the content with the standard's quiet zone."""

import io

from lxml import etree
from PIL import Image

from standins.wechat_api import WeChatApiStandin
from wechat.qr import qr_png, qr_svg

CONTENT = WeChatApiStandin.qr_url("C0042")  # what qrcode/create answers


def test_the_png_is_a_qr_symbol_with_its_quiet_zone():
    image = Image.open(io.BytesIO(qr_png(CONTENT, scale=4, border=4))).convert("L")
    width, height = image.size
    assert width == height and width % 4 == 0
    modules = width // 4 - 8
    assert modules >= 21 and (modules - 17) % 4 == 0  # version 1 is 21 modules, +4 per version

    def pixel(module_x: int, module_y: int) -> int:
        return image.getpixel((module_x * 4 + 1, module_y * 4 + 1))

    assert all(pixel(x, 0) == 255 for x in range(width // 4))  # the quiet zone is light
    # The three finder patterns: a dark 7×7 ring with a light ring inside and a dark centre.
    for corner_x, corner_y in ((4, 4), (4 + modules - 7, 4), (4, 4 + modules - 7)):
        assert pixel(corner_x, corner_y) == 0 and pixel(corner_x + 6, corner_y + 6) == 0
        assert pixel(corner_x + 1, corner_y + 1) == 255 and pixel(corner_x + 3, corner_y + 3) == 0


def test_a_longer_content_draws_a_bigger_symbol():
    small = Image.open(io.BytesIO(qr_png("C1", scale=1))).size[0]
    large = Image.open(io.BytesIO(qr_png(CONTENT + "?" + "x" * 100, scale=1))).size[0]
    assert large > small


def test_the_svg_is_an_svg_document_of_the_same_size():
    svg = etree.fromstring(qr_svg(CONTENT, scale=4).encode())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    png_width = Image.open(io.BytesIO(qr_png(CONTENT, scale=4))).size[0]
    assert int(float(svg.get("width"))) == png_width
