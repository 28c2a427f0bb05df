from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput

from notices.boundaries import parse_boundaries
from notices.enums import UpdateKind
from notices.maps.geometry import parse_polygon_input
from notices.maps.widgets import PolygonWidget

SIDES = ("boundary_south", "boundary_north", "boundary_west", "boundary_east")


class PolygonField(forms.JSONField):
    """Whatever notices.maps.geometry.parse_polygon_input reads, kept as a closed GeoJSON Polygon."""

    widget = PolygonWidget

    def to_python(self, value):
        if self.disabled or isinstance(value, dict):
            return value
        if value is None or value.strip() == "null":
            return None
        return parse_polygon_input(value)

    def prepare_value(self, value):
        """An empty textarea, not JSON's "null", for a notice without a polygon."""
        return "" if value is None else super().prepare_value(value)


class NoticePageForm(WagtailAdminPageForm):
    """Pasting the published boundary text fills the four sides, unless the editor typed the
    sides themselves in the same edit."""

    polygon = PolygonField(
        label=_("范围多边形（GeoJSON）"),
        required=False,
        help_text=_(
            "可选。在地图上点击绘制，或粘贴GeoJSON（Polygon，或只含一个多边形的Feature、"
            "FeatureCollection），或“经度,纬度 经度,纬度 …”坐标列表。保存为WGS84坐标"
            "（GPS、天地图、OpenStreetMap所用）；从高德、腾讯地图拾取的坐标（GCJ-02）请在前面加"
            "“gcj02:”，百度地图的加“bd09:”，保存时自动换算。"
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        text = cleaned_data.get("boundary_text", "")
        if (
            text
            and "boundary_text" in self.changed_data
            and not set(SIDES) & set(self.changed_data)
        ):
            parsed = parse_boundaries(text)
            for name, value in zip(
                SIDES, (parsed.south, parsed.north, parsed.west, parsed.east), strict=True
            ):
                cleaned_data[name] = value
        return cleaned_data


class NoticeUpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("进展类型"), choices=())
    occurred_at = forms.DateTimeField(
        label=_("发生时间"), widget=AdminDateTimeInput, help_text=_("留空为现在。"), required=False
    )
    new_ends_at = forms.DateTimeField(
        label=_("新的结束时间"),
        widget=AdminDateTimeInput,
        required=False,
        help_text=_("延长时必填；其他进展可用来修正预计恢复时间。"),
    )
    text = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False
    )

    def __init__(self, *args, allowed_kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, UpdateKind(kind).label) for kind in allowed_kinds]

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data.get("occurred_at") or timezone.now()
        if occurred_at > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("进展时间不能晚于现在。"))
        return occurred_at
