"""The optional GeoJSON polygon of a notice's area, and its CAP form."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_polygon(value) -> None:
    """A GeoJSON Polygon geometry in WGS84: closed rings of at least four [lon, lat] positions."""
    if value in (None, ""):
        return
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        raise ValidationError(
            _(
                '请填写 GeoJSON Polygon，例如 {"type": "Polygon", "coordinates": [[[经度, 纬度], …]]}。'
            )
        )
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise ValidationError(_("多边形缺少坐标。"))
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError(_("多边形每个环至少需要4个坐标点（首尾相同）。"))
        for position in ring:
            if (
                not isinstance(position, list | tuple)
                or len(position) < 2
                or not all(
                    isinstance(n, int | float) and not isinstance(n, bool) for n in position[:2]
                )
            ):
                raise ValidationError(_("坐标必须是[经度, 纬度]数字对。"))
            lon, lat = position[:2]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValidationError(
                    _("坐标超出范围：经度应在-180到180之间，纬度应在-90到90之间。")
                )
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValidationError(_("多边形的首尾坐标必须相同（闭合）。"))


def cap_polygon(value) -> str | None:
    """The outer ring as CAP wants it: "lat,lon lat,lon …" with the first pair repeated last."""
    if not value:
        return None
    ring = value["coordinates"][0]
    return " ".join(f"{_coordinate(lat)},{_coordinate(lon)}" for lon, lat, *_ in ring)


def _coordinate(value: float) -> str:
    """Six decimals (about 0.1 m), trailing zeros dropped: 125.3245, not 125.325 from :g."""
    return f"{value:.6f}".rstrip("0").rstrip(".")
