"""QR code images drawn locally (segno): nothing about a community's code leaves the site to
be drawn. The content is what `WeChatClient.create_scene_qr` returns (a weixin.qq.com URL)."""

import io

import segno


def _code(content: str) -> segno.QRCode:
    # Error correction M (15 %): survives a smudged print; segno raises it when it costs no size.
    return segno.make_qr(content, error="m")


def qr_png(content: str, *, scale: int = 10, border: int = 4) -> bytes:
    """A PNG of `content`: `scale` pixels a module, a quiet zone of `border` modules (4 is the
    standard's minimum)."""
    buffer = io.BytesIO()
    _code(content).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_svg(content: str, *, scale: int = 10, border: int = 4) -> str:
    """An SVG of `content`, for printing at any size."""
    buffer = io.BytesIO()
    _code(content).save(buffer, kind="svg", scale=scale, border=border, xmldecl=False)
    return buffer.getvalue().decode()
