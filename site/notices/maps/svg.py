"""A notice's area as an inline SVG map, complete without JavaScript.

The polygon is projected to Web Mercator at the largest whole zoom at which it fits the map
with room for the boundary road names around it. When a tile server is configured
(`MAP_TILE_URL`, see the README) the tiles under the map are SVG `<image>` elements with plain
URLs, so the browser loads them like any image; without one the polygon is drawn alone. The
stored polygon is WGS84 (CAP and the JSON API promise it); for a GCJ-02 tile server (AMap) it
is shifted while drawing.

The map is drawn when the page is rendered: it depends on deploy-time settings (tile server,
its key, datum) that a copy stored at publish time would silently keep after they change, and
drawing it is arithmetic on a few dozen points without a query (see `tests/notices/test_notice_maps.py`
for the figures)."""

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from notices.maps.geometry import wgs84_to_gcj02
from notices.utilities import profile

TILE_SIZE = 256
WIDTH, HEIGHT = 640, 400
PADDING = 48  # room for the road names on each side of the polygon
LABEL_MAX_CHARS = 10
LABEL_MIN_HALF_WIDTH, LABEL_MIN_HALF_HEIGHT = 90, 60
SCALE_BAR_MAX = 120  # pixels
METRES_PER_PIXEL_AT_ZOOM_0 = 2 * math.pi * 6378137 / TILE_SIZE  # at the equator
SCALE_STEPS = [base * 10**power for power in range(1, 6) for base in (1, 2, 5)]  # 10 m … 500 km


@dataclass(frozen=True)
class TileLayer:
    url: str
    subdomains: tuple[str, ...]

    def url_for(self, zoom: int, x: int, y: int) -> str:
        """Each tile always from the same subdomain, so browsers and proxies cache it once."""
        url = self.url.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))
        if "{s}" in url and self.subdomains:
            url = url.replace("{s}", self.subdomains[(x + y) % len(self.subdomains)])
        return url

    def origins(self) -> set[str]:
        urls = [self.url.replace("{s}", sub) for sub in self.subdomains] or [self.url]
        return {"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in urls}


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    href: str


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str
    vertical: bool = False


@dataclass(frozen=True)
class NoticeMap:
    description: str
    path: str
    colour: str
    tiles: list[Tile]
    labels: list[Label]
    scale_length: int
    scale_text: str
    attribution: str
    width: int = WIDTH
    height: int = HEIGHT


def tile_layers() -> list[TileLayer]:
    """The base layer and, for Tianditu, its annotation layer drawn on top; none by default."""
    subdomains = tuple(settings.MAP_TILE_SUBDOMAINS)
    urls = [settings.MAP_TILE_URL, settings.MAP_TILE_OVERLAY_URL]
    return [TileLayer(url, subdomains) for url in urls if url]


def tile_origins() -> list[str]:
    """Every origin tiles come from, e.g. for a Content-Security-Policy `img-src`."""
    return sorted({origin for layer in tile_layers() for origin in layer.origins()})


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in world units: (0, 0) is the north-west corner, (1, 1) the south-east."""
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    radians = math.radians(lat)
    x = (lon + 180.0) / 360.0
    y = (1.0 - math.asinh(math.tan(radians)) / math.pi) / 2.0
    return x, y


def tile_for(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The slippy-map tile (x, y) holding a point at a zoom, as OSM, Tianditu and AMap number them."""
    x, y = mercator(lon, lat)
    return int(x * 2**zoom), int(y * 2**zoom)


def notice_map(notice) -> NoticeMap | None:
    if not notice.polygon:
        return None
    gcj02 = settings.MAP_TILE_CRS == "gcj02"
    rings = [
        [wgs84_to_gcj02(lon, lat) if gcj02 else (lon, lat) for lon, lat, *_z in ring]
        for ring in notice.polygon["coordinates"]
    ]
    world = [[mercator(lon, lat) for lon, lat in ring] for ring in rings]
    xs = [x for x, _y in world[0]]
    ys = [y for _x, y in world[0]]
    zoom = _fitting_zoom(max(xs) - min(xs), max(ys) - min(ys))
    scale = TILE_SIZE * 2**zoom
    left = round((min(xs) + max(xs)) / 2 * scale - WIDTH / 2)
    top = round((min(ys) + max(ys)) / 2 * scale - HEIGHT / 2)

    def point(x, y):
        return x * scale - left, y * scale - top

    path = "".join(
        "M" + "L".join(f"{px:.1f} {py:.1f}" for px, py in (point(x, y) for x, y in ring[:-1])) + "Z"
        for ring in world
    )
    west, north = point(min(xs), min(ys))
    east, south = point(max(xs), max(ys))
    # Around the polygon, but never so close together that the names overlap.
    half_width = max((east - west) / 2, LABEL_MIN_HALF_WIDTH)
    half_height = max((south - north) / 2, LABEL_MIN_HALF_HEIGHT)
    middle_x, middle_y = WIDTH / 2, HEIGHT / 2
    sides = [
        (notice.boundary_south, middle_x, middle_y + half_height + 30, False),
        (notice.boundary_north, middle_x, middle_y - half_height - 14, False),
        (notice.boundary_west, middle_x - half_width - 20, middle_y, True),
        (notice.boundary_east, middle_x + half_width + 20, middle_y, True),
    ]
    labels = [
        Label(round(x), round(y), _shortened(name), vertical)
        for name, x, y, vertical in sides
        if name
    ]
    lat = sum(lat for _lon, lat in rings[0]) / len(rings[0])
    scale_length, scale_text = _scale_bar(lat, zoom)
    return NoticeMap(
        description=describe(notice),
        path=path,
        colour=profile(notice.utility).colour,
        tiles=_tiles(zoom, left, top),
        labels=labels,
        scale_length=scale_length,
        scale_text=scale_text,
        attribution=settings.MAP_TILE_ATTRIBUTION if settings.MAP_TILE_URL else "",
    )


def describe(notice) -> str:
    """The map in words, for screen readers: what, where and the four boundaries."""
    place = notice.area_name or notice.title
    text = _("%(utility)s范围示意图：%(place)s") % {"utility": notice.utility_label, "place": place}
    if notice.boundaries:
        text += "，" + "，".join(f"{label}{value}" for label, value in notice.boundaries)
    return text + "。"


def _fitting_zoom(width: float, height: float) -> int:
    max_zoom = settings.MAP_TILE_MAX_ZOOM
    room = min(
        (WIDTH - 2 * PADDING) / (width * TILE_SIZE) if width else math.inf,
        (HEIGHT - 2 * PADDING) / (height * TILE_SIZE) if height else math.inf,
    )
    if room == math.inf:
        return max_zoom
    return max(0, min(max_zoom, math.floor(math.log2(room))))


def _tiles(zoom: int, left: int, top: int) -> list[Tile]:
    """Every tile under the map, layer by layer; columns wrap around the antimeridian."""
    count = 2**zoom
    rows = range(max(0, top // TILE_SIZE), min(count, (top + HEIGHT - 1) // TILE_SIZE + 1))
    columns = range(left // TILE_SIZE, (left + WIDTH - 1) // TILE_SIZE + 1)
    return [
        Tile(
            column * TILE_SIZE - left,
            row * TILE_SIZE - top,
            layer.url_for(zoom, column % count, row),
        )
        for layer in tile_layers()
        for row in rows
        for column in columns
    ]


def _scale_bar(lat: float, zoom: int) -> tuple[int, str]:
    metres_per_pixel = METRES_PER_PIXEL_AT_ZOOM_0 * math.cos(math.radians(lat)) / 2**zoom
    metres = max(
        (step for step in SCALE_STEPS if step / metres_per_pixel <= SCALE_BAR_MAX),
        default=SCALE_STEPS[0],
    )
    length = round(metres / metres_per_pixel)
    if metres >= 1000:
        return length, _("%(n)d公里") % {"n": metres // 1000}
    return length, _("%(n)d米") % {"n": metres}


def _shortened(name: str) -> str:
    return name if len(name) <= LABEL_MAX_CHARS else name[: LABEL_MAX_CHARS - 1] + "…"
