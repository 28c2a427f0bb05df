"""The admin's polygon editor: the GeoJSON textarea, plus a map to draw on when JavaScript runs
(notices/static/notices/polygon-widget.js). Without the script the textarea is the whole
editor, and everything the map writes can be typed or pasted there."""

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from notices.maps.svg import tile_layers


class PolygonWidget(forms.Textarea):
    template_name = "notices/widgets/polygon_widget.html"

    class Media:
        js = ["notices/polygon-widget.js"]
        css = {"all": ["notices/polygon-widget.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 4, "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["map_config"] = json.dumps(
            {
                "tiles": [
                    {"url": layer.url, "subdomains": layer.subdomains} for layer in tile_layers()
                ],
                "maxZoom": settings.MAP_TILE_MAX_ZOOM,
                "crs": settings.MAP_TILE_CRS,
                "center": list(settings.MAP_DEFAULT_CENTER),
                "messages": {
                    "hint": _("点击地图添加顶点，拖动地图平移。"),
                    "points": _("范围有{n}个顶点。"),
                    "tooFew": _("已添加{n}个点，至少需要3个点才能构成范围。"),
                    "noTiles": _("未配置底图（MAP_TILE_URL），只显示经纬网格。"),
                    "unreadable": _("文本框中的内容无法在地图上显示，保存时会检查并说明原因。"),
                },
            }
        )
        context["widget"]["attribution"] = (
            settings.MAP_TILE_ATTRIBUTION if settings.MAP_TILE_URL else ""
        )
        return context
