from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput

from notices.boundaries import parse_boundaries
from notices.enums import UpdateKind

SIDES = ("boundary_south", "boundary_north", "boundary_west", "boundary_east")


class NoticePageForm(WagtailAdminPageForm):
    """Pasting the published boundary text fills the four sides, unless the editor typed the
    sides themselves in the same edit."""

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
