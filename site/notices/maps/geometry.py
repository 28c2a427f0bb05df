"""The optional GeoJSON polygon of a notice's area: what editors may paste, its CAP form, and
the Chinese coordinate systems tile servers use."""

import json
import math
import re

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


# What editors paste into the admin: GeoJSON (a Polygon, a Feature or a FeatureCollection
# holding one polygon, a MultiPolygon of one), a bare coordinate array, or a plain list
# "经度,纬度 经度,纬度 …". A leading "gcj02:" or "bd09:" marks coordinates copied from AMap /
# Tencent or Baidu pickers; they are converted, since the stored polygon is always WGS84 (CAP
# and the JSON API promise WGS84).

_PAIR = re.compile(r"^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$")
_COMMA = re.compile(r"\s*[,，]\s*")
_SEPARATORS = re.compile(r"[\s;；]+")
_PREFIX = re.compile(r"^(wgs84|gcj-?02|bd-?09)\s*[:：]\s*", re.IGNORECASE)


def parse_polygon_input(text: str) -> dict | None:
    """The pasted text as a closed GeoJSON Polygon in WGS84, or None when it is blank."""
    text = (text or "").strip()
    if not text:
        return None
    system = "wgs84"
    prefix = _PREFIX.match(text)
    if prefix:
        system = prefix.group(1).lower().replace("-", "")
        text = text[prefix.end() :].strip()
    if text[:1] in "{[":
        rings = _rings_from_json(text)
    else:
        rings = [_ring_from_pairs(text)]
    if not all(isinstance(ring, list) and all(map(_is_position, ring)) for ring in rings):
        raise ValidationError(_("坐标必须是[经度, 纬度]数字对。"))
    converted = [
        [_to_wgs84(position[0], position[1], system) for position in ring] for ring in rings
    ]
    polygon = {"type": "Polygon", "coordinates": [_closed(ring) for ring in converted]}
    validate_polygon(polygon)
    return polygon


def _rings_from_json(text: str) -> list:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("无法读取JSON（第%(line)d行第%(column)d列附近有误）。")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    if isinstance(value, list):
        # A bare ring [[lon, lat], …] or the rings of a polygon [[[lon, lat], …], …].
        if value and isinstance(value[0], list) and value[0] and isinstance(value[0][0], list):
            return value
        return [value]
    if not isinstance(value, dict):
        raise ValidationError(_("请粘贴GeoJSON或“经度,纬度 经度,纬度 …”坐标列表。"))
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                _("要素集合（FeatureCollection）中有%(count)d个要素，请只保留一个多边形。")
                % {"count": len(features)}
            )
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict):
        raise ValidationError(_("要素（Feature）没有几何图形。"))
    kind = value.get("type")
    coordinates = value.get("coordinates")
    if kind == "MultiPolygon" and isinstance(coordinates, list):
        if len(coordinates) != 1:
            raise ValidationError(
                _("只能填写一个多边形，粘贴的内容有%(count)d个（MultiPolygon）。")
                % {"count": len(coordinates)}
            )
        kind, coordinates = "Polygon", coordinates[0]
    if kind != "Polygon":
        raise ValidationError(
            _("粘贴的是%(kind)s，请提供多边形（Polygon）。") % {"kind": kind or _("未知类型")}
        )
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("多边形缺少坐标。"))
    return coordinates


def _ring_from_pairs(text: str) -> list[list[float]]:
    ring = []
    for token in _SEPARATORS.split(_COMMA.sub(",", text)):
        match = _PAIR.match(token)
        if not match:
            raise ValidationError(
                _("无法识别“%(token)s”：请按“经度,纬度 经度,纬度 …”填写，或粘贴GeoJSON。")
                % {"token": token[:30]}
            )
        ring.append([float(match.group(1)), float(match.group(2))])
    if any(abs(lon) <= 90 < abs(lat) for lon, lat in ring):
        raise ValidationError(_("坐标顺序应为“经度,纬度”，粘贴的内容像是“纬度,经度”。"))
    if len({tuple(position) for position in ring}) < 3:
        raise ValidationError(_("多边形至少需要3个不同的点。"))
    return ring


def _closed(ring: list) -> list:
    if ring and ring[0][:2] != ring[-1][:2]:
        return [*ring, list(ring[0])]
    return ring


def _is_position(value) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 2
        and all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[:2])
    )


def _to_wgs84(lon, lat, system: str) -> list[float]:
    if system == "wgs84":
        return [lon, lat]
    if system == "bd09":
        lon, lat = bd09_to_gcj02(lon, lat)
    lon, lat = gcj02_to_wgs84(lon, lat)
    return [round(lon, 7), round(lat, 7)]


# China's obfuscated datums. GCJ-02 is WGS84 shifted by a published nonlinear offset (a few
# hundred metres); AMap and Tencent tiles and pickers use it, Baidu adds BD-09 on top. Outside
# mainland China the offset is not applied.

_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323


def outside_china(lon: float, lat: float) -> bool:
    return not (73.66 < lon < 135.05 and 3.86 < lat < 53.55)


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if outside_china(lon, lat):
        return lon, lat
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += common
    dlon += common
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon += (
        (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    )
    radians = lat / 180.0 * math.pi
    magic = 1 - _GCJ_EE * math.sin(radians) ** 2
    dlat = (dlat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / math.sqrt(magic) * math.cos(radians) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The inverse by fixed-point iteration: well under a millimetre after a few rounds."""
    wgs_lon, wgs_lat = lon, lat
    for _round in range(10):
        gcj_lon, gcj_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
        wgs_lon, wgs_lat = wgs_lon - (gcj_lon - lon), wgs_lat - (gcj_lat - lat)
        if abs(gcj_lon - lon) < 1e-9 and abs(gcj_lat - lat) < 1e-9:
            break
    return wgs_lon, wgs_lat


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    x_pi = math.pi * 3000.0 / 180.0
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * x_pi)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * x_pi)
    return z * math.cos(theta), z * math.sin(theta)
