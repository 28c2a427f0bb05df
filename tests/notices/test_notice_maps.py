"""A notice's area on a map: Web Mercator arithmetic, the server-drawn SVG with and without
tiles, the boundary roads as text either way, what editors may paste or draw in the admin,
and the notice page's weight and query budget."""

import functools
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notices.maps.geometry import (
    bd09_to_gcj02,
    gcj02_to_wgs84,
    parse_polygon_input,
    wgs84_to_gcj02,
)
from notices.maps.svg import HEIGHT, PADDING, WIDTH, notice_map, tile_for, tile_origins
from notices.models import OutageNoticePage
from tests.factories.notices import make_notice
from tests.notices.test_notice_admin import add_url, notice_form
from tests.support import ROOT, queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

# Roughly the 皓月大路 / 西安大路 / 翔运街 / railway block of the demo.
POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [125.2545, 43.8663],
            [125.2762, 43.8678],
            [125.2779, 43.8806],
            [125.2553, 43.8797],
            [125.2545, 43.8663],
        ]
    ],
}
OSM = {
    "MAP_TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png",
    "MAP_TILE_SUBDOMAINS": ["a", "b", "c"],
    "MAP_TILE_ATTRIBUTION": "© OpenStreetMap contributors",
}
TIANDITU = {
    "MAP_TILE_URL": (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
        "&TILECOL={x}&tk=KEY"
    ),
    "MAP_TILE_OVERLAY_URL": (
        "https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=cva&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
        "&TILECOL={x}&tk=KEY"
    ),
    "MAP_TILE_SUBDOMAINS": [str(n) for n in range(8)],
}
DEMO_NOTICE = "/notices/xingyu-east-pump-station-water/"
PAGE_WEIGHT_BUDGET = 100 * 1024


def page(client, notice) -> str:
    response = client.get(notice.url)
    assert response.status_code == 200
    return response.content.decode()


def svg_of(html: str) -> str:
    [svg] = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
    return svg


def path_points(svg: str) -> list[tuple[float, float]]:
    [d] = re.findall(r'<path d="(M[^"]+Z)"', svg)
    return [(float(x), float(y)) for x, y in re.findall(r"([\d.]+) ([\d.]+)", d)]


# Projection


def test_tile_numbers_follow_the_slippy_map_scheme():
    assert tile_for(0, 0, 0) == (0, 0)
    assert tile_for(-179.9, 85, 1) == (0, 0) and tile_for(179.9, -85, 1) == (1, 1)
    # Leaflet's quick-start view of London, and its tile on OpenStreetMap: 13/4093/2724.
    assert tile_for(-0.09, 51.505, 13) == (4093, 2724)
    # 人民广场, 长春, at zoom 10 and at 16 (x = (lon + 180) / 360 × 2^z).
    assert tile_for(125.3245, 43.8868, 10) == (868, 372)
    assert tile_for(125.3245, 43.8868, 16)[0] == 55582


def test_chinese_datums_match_the_published_reference_values():
    # The reference pair of the common GCJ-02 / BD-09 implementations (天安门, 116.404, 39.915).
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx((116.41024449916938, 39.91640428150164))
    assert bd09_to_gcj02(116.404, 39.915) == pytest.approx((116.39762729119315, 39.90865673957631))
    gcj = wgs84_to_gcj02(125.3245, 43.8868)
    assert gcj02_to_wgs84(*gcj) == pytest.approx((125.3245, 43.8868), abs=1e-8)
    assert wgs84_to_gcj02(-0.09, 51.505) == (-0.09, 51.505)  # no offset outside China


# The map on the notice page


def test_a_polygon_is_drawn_without_tiles_by_default(client):
    notice = make_notice(polygon=POLYGON, area_name="星宇东泵站")
    svg = svg_of(page(client, notice))
    assert 'role="img"' in svg
    label = "停水范围示意图：星宇东泵站，南至皓月大路，北至西安大路，西至翔运街，东至铁路。"
    assert f'aria-label="{label}"' in svg and f"<title>{label}</title>" in svg
    assert "<image" not in svg
    for road in ("皓月大路", "西安大路", "翔运街", "铁路"):
        assert f">{road}</text>" in svg
    assert re.search(r">\d+(米|公里)</text>", svg)  # scale bar
    points = path_points(svg)
    assert len(points) == 4  # the closing point is the path's Z
    assert all(
        PADDING - 1 <= x <= WIDTH - PADDING + 1 and PADDING - 1 <= y <= HEIGHT - PADDING + 1
        for x, y in points
    )
    # North up: the northern vertices are drawn above the southern ones.
    assert points[2][1] < points[1][1] and points[3][1] < points[0][1]


def test_without_a_polygon_the_roads_are_listed_and_no_map_is_drawn(client):
    html = page(client, make_notice())
    assert "<svg" not in html
    assert "<li>南至皓月大路</li>" in html and "<li>东至铁路</li>" in html


def test_the_roads_stay_listed_as_text_beside_the_map(client):
    html = page(client, make_notice(polygon=POLYGON))
    assert "<li>南至皓月大路</li>" in html and "<li>西至翔运街</li>" in html
    assert "以文字说明为准" in html


def test_the_demo_notice_shows_its_area(client):
    response = client.get(DEMO_NOTICE)
    svg = svg_of(response.content.decode())
    assert "西至翔运街" in svg and len(path_points(svg)) == 4


@override_settings(**OSM)
def test_tiles_cover_the_map_from_the_configured_server(client):
    notice = make_notice(polygon=POLYGON)
    html = page(client, notice)
    tiles = re.findall(
        r'<image href="https://([abc])\.tile\.example\.org/(\d+)/(\d+)/(\d+)\.png" '
        r'x="(-?\d+)" y="(-?\d+)" width="256" height="256"/>',
        svg_of(html),
    )
    assert tiles
    zooms = {int(z) for _s, z, _x, _y, _px, _py in tiles}
    assert len(zooms) == 1
    for subdomain, _z, x, y, _px, _py in tiles:
        assert subdomain == "abc"[(int(x) + int(y)) % 3]  # a tile always from one host
    lefts = sorted({int(px) for *_rest, px, _py in tiles})
    tops = sorted({int(py) for *_rest, py in tiles})
    assert lefts[0] <= 0 and lefts[-1] + 256 >= WIDTH
    assert tops[0] <= 0 and tops[-1] + 256 >= HEIGHT
    assert all(b - a == 256 for a, b in pairwise(lefts))
    # The polygon's centre lies on the tile the projection says it does.
    [zoom] = zooms
    centre = tile_for(125.2662, 43.8735, zoom)
    assert any((int(x), int(y)) == centre for _s, _z, x, y, _px, _py in tiles)
    assert "© OpenStreetMap contributors" in html
    assert "<li>南至皓月大路</li>" in html


@override_settings(**TIANDITU)
def test_tianditu_draws_its_annotation_layer_over_the_base_layer(client):
    svg = svg_of(page(client, make_notice(polygon=POLYGON)))
    base = re.findall(r'href="https://t\d\.tianditu\.gov\.cn/vec_w/[^"]+"', svg)
    labels = re.findall(r'href="https://t\d\.tianditu\.gov\.cn/cva_w/[^"]+"', svg)
    assert base and len(base) == len(labels)
    assert svg.index("cva_w") > svg.rindex("vec_w")  # annotations on top
    assert "&amp;tk=KEY" in svg and "{" not in svg
    assert tile_origins() == [f"https://t{n}.tianditu.gov.cn" for n in range(8)]


def test_no_tile_origins_without_a_tile_server():
    assert tile_origins() == []


def test_amap_tiles_get_the_polygon_shifted_to_gcj02(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # the same page is drawn under two tile settings
    notice = make_notice(polygon=POLYGON)
    wgs = path_points(svg_of(page(client, notice)))
    amap = "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"
    with override_settings(MAP_TILE_URL=amap, MAP_TILE_SUBDOMAINS=["1"], MAP_TILE_CRS="gcj02"):
        svg = svg_of(page(client, notice))
        gcj = path_points(svg)
        assert "https://webrd01.is.autonavi.com/appmaptile?style=8&amp;x=" in svg
    # Fitted and centred either way, but the offset (about 500 m here) moves the map under it.
    assert wgs != gcj
    notice.refresh_from_db()
    assert notice.polygon == POLYGON  # stored in WGS84 whatever the tiles


@override_settings(**OSM, MAP_TILE_MAX_ZOOM=16)
def test_a_tiny_area_stops_at_the_servers_highest_zoom(client):
    tiny = {
        "type": "Polygon",
        "coordinates": [[[125.3, 43.88], [125.3001, 43.88], [125.3001, 43.8801], [125.3, 43.88]]],
    }
    svg = svg_of(page(client, make_notice(polygon=tiny)))
    assert set(re.findall(r"tile\.example\.org/(\d+)/", svg)) == {"16"}
    # The road names still stand apart around the dot of an area.
    labels = {
        name: (int(x), int(y))
        for x, y, name in re.findall(r'<text x="(\d+)" y="(\d+)"[^>]*>([^<]+)</text>', svg)
    }
    assert labels["西安大路"][1] + 100 < labels["皓月大路"][1]
    assert labels["翔运街"][0] + 160 < labels["铁路"][0]


def test_drawing_the_map_takes_no_query_and_little_time(django_assert_num_queries):
    notice = OutageNoticePage.objects.get(slug="xingyu-east-pump-station-water")
    with override_settings(**TIANDITU), django_assert_num_queries(0):
        started = time.perf_counter()
        for _round in range(100):
            drawn = notice_map(notice)
        per_map = (time.perf_counter() - started) / 100
    assert len(drawn.tiles) == 24 and per_map < 0.005  # measured: about 0.1 ms


def test_tile_settings_come_from_the_environment_and_a_wrong_datum_is_refused(tmp_path):
    probe = (
        "import config.settings.base as s;"
        "print(s.MAP_TILE_SUBDOMAINS, s.MAP_TILE_CRS, s.MAP_DEFAULT_CENTER, s.MAP_TILE_MAX_ZOOM)"
    )
    environment = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
        "MAP_TILE_SUBDOMAINS": "1,2,3,4",
        "MAP_TILE_CRS": "GCJ02",
        "MAP_DEFAULT_CENTER": "126.55, 43.84",
        "MAP_TILE_MAX_ZOOM": "17",
    }
    run = functools.partial(
        subprocess.run, [sys.executable, "-c", probe], capture_output=True, text=True
    )
    assert run(env=environment).stdout.strip() == "['1', '2', '3', '4'] gcj02 (126.55, 43.84) 17"
    refused = run(env={**environment, "MAP_TILE_CRS": "bd09"})
    assert refused.returncode != 0 and "MAP_TILE_CRS 只能是 wgs84 或 gcj02" in refused.stderr


# The page budget


def test_the_notice_page_weighs_under_100_kb_without_tiles(client):
    with override_settings(**TIANDITU):
        response = client.get(DEMO_NOTICE)
    html = response.content.decode()
    assert "<image" in html
    assets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assets += re.findall(r'<script[^>]* src="/static/([^"]+)"', html)
    assert "css/site.css" in assets
    total = len(response.content) + sum(
        Path(finders.find(asset)).stat().st_size for asset in assets
    )
    assert total < PAGE_WEIGHT_BUDGET, total


def test_the_notice_page_with_a_map_stays_within_the_query_budget(client):
    with override_settings(**OSM):
        assert queries_for(client, DEMO_NOTICE) <= 10


# What editors paste


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "Polygon", "coordinates": [[[125.25,43.86],[125.27,43.86],[125.27,43.88],[125.25,43.86]]]}',
        '{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[125.25,43.86],[125.27,43.86],[125.27,43.88],[125.25,43.86]]]}}",
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        '{"type": "MultiPolygon", "coordinates": [[[[125.25,43.86],[125.27,43.86],[125.27,43.88]]]]}}]}',
        "[[125.25,43.86],[125.27,43.86],[125.27,43.88]]",
        "125.25,43.86 125.27,43.86\n125.27,43.88",
        "125.25，43.86；125.27, 43.86; 125.27,43.88 125.25,43.86",
    ],
)
def test_pasted_formats_become_a_closed_polygon(text):
    assert parse_polygon_input(text) == {
        "type": "Polygon",
        "coordinates": [[[125.25, 43.86], [125.27, 43.86], [125.27, 43.88], [125.25, 43.86]]],
    }


def test_coordinates_from_amap_or_baidu_pickers_are_converted_to_wgs84():
    ring = [(125.25, 43.86), (125.27, 43.86), (125.27, 43.88)]
    gcj = " ".join("{},{}".format(*wgs84_to_gcj02(*p)) for p in ring)
    polygon = parse_polygon_input("gcj02: " + gcj)
    assert polygon["coordinates"][0][:3] == [pytest.approx(list(p), abs=1e-6) for p in ring]
    assert parse_polygon_input("GCJ-02：" + gcj) == polygon
    assert parse_polygon_input("bd09:116.404,39.915 116.41,39.915 116.41,39.92") is not None
    assert parse_polygon_input("  ") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"type": "Polygon", "coordinates": [[[125.25,43.86]', "无法读取JSON（第1行第"),
        (
            '{"type": "LineString", "coordinates": [[125.25,43.86],[125.27,43.86]]}',
            "粘贴的是LineString",
        ),
        ('{"type": "FeatureCollection", "features": [{}, {}]}', "有2个要素，请只保留一个多边形"),
        ('{"type": "MultiPolygon", "coordinates": [[], []]}', "粘贴的内容有2个（MultiPolygon）"),
        ("125.25 43.86, 125.27 43.86", "无法识别“125.25”"),
        ("43.86,125.25 43.86,125.27 43.88,125.27", "像是“纬度,经度”"),
        ("125.25,43.86 125.27,43.86 125.25,43.86", "至少需要3个不同的点"),
        ('[[125.25,43.86],[125.27,43.86],[125.27,"43.88"]]', "数字对"),
        ("[[191,43.86],[125.27,43.86],[125.27,43.88]]", "坐标超出范围"),
    ],
)
def test_unreadable_pastes_are_refused_in_chinese(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_polygon_input(text)
    assert message in refused.value.messages[0]


# The admin


def test_an_editor_pastes_a_coordinate_list_and_gets_a_polygon(client, moderator):
    client.force_login(moderator)
    start = timezone.now() + timedelta(days=5)
    data = notice_form(start, polygon="125.2545,43.8663 125.2762,43.8678 125.2779,43.8806")
    response = client.post(add_url(), {**data, "action-publish": "publish"})
    assert response.status_code == 302
    notice = OutageNoticePage.objects.get(slug="admin-notice")
    assert notice.polygon["coordinates"][0] == [
        [125.2545, 43.8663],
        [125.2762, 43.8678],
        [125.2779, 43.8806],
        [125.2545, 43.8663],
    ]


def test_a_bad_paste_is_explained_and_kept_for_correction(client, moderator):
    client.force_login(moderator)
    start = timezone.now() + timedelta(days=5)
    pasted = "43.86,125.25 43.86,125.27 43.88,125.27"
    response = client.post(add_url(), {**notice_form(start, polygon=pasted), "action-publish": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "坐标顺序应为“经度,纬度”" in html
    assert pasted in html
    assert not OutageNoticePage.objects.filter(slug="admin-notice").exists()


@override_settings(**TIANDITU, MAP_TILE_ATTRIBUTION="审图号：GS(0000)0000号")
def test_the_edit_page_offers_the_drawing_map_around_the_textarea(client, moderator):
    client.force_login(moderator)
    notice = OutageNoticePage.objects.get(slug="xingyu-east-pump-station-water")
    response = client.get(reverse("wagtailadmin_pages:edit", args=(notice.pk,)))
    html = response.content.decode()
    assert 'src="/static/notices/polygon-widget.js"' in html
    assert "notices/polygon-widget.css" in html
    [widget] = re.findall(r"<div class=\"polygon-widget\".*?</textarea>", html, re.DOTALL)
    assert 'name="polygon"' in widget and "125.2545" in widget
    assert "tianditu.gov.cn" in widget and "&quot;crs&quot;: &quot;wgs84&quot;" in widget
    assert "审图号：GS(0000)0000号" in html
    assert "gcj02:" in html  # the help text on coordinates from AMap and Baidu
    assert finders.find("notices/polygon-widget.js")


def test_a_notice_without_a_polygon_shows_an_empty_textarea_and_saves_as_before(client, moderator):
    client.force_login(moderator)
    notice = make_notice()
    html = client.get(reverse("wagtailadmin_pages:edit", args=(notice.pk,))).content.decode()
    [textarea] = re.findall(r'<textarea name="polygon"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert textarea.strip() == ""
    start = timezone.now() + timedelta(days=5)
    # "null" is what the admin showed before the map; a form still holding it saves no polygon.
    response = client.post(add_url(), {**notice_form(start, polygon="null"), "action-publish": "1"})
    assert response.status_code == 302
    assert OutageNoticePage.objects.get(slug="admin-notice").polygon is None
