"""The staff's forms in the admin: the list's filters and one form per step of the workflow.

The forms check only what a field can check by itself; whether a step is allowed now (首问负责,
state, seed 004's temperature method) is servicedesk.workflow's decision, and its WorkflowError
is shown with the form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from contacts.models import Station
from servicedesk import routing
from servicedesk.enums import EventKind, RequestKind, Signature
from servicedesk.models import ServiceRequest

# The list's status filter: the open requests unless asked otherwise.
STATUS_OPEN = "open"
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, _("未办结")),
    ("submitted", _("待受理")),
    ("in_progress", _("办理中")),
    ("closed", _("已办结")),
    (STATUS_ALL, _("全部")),
]


class RequestFilterForm(forms.Form):
    """GET parameters of the list. `stations`: the stations the user may filter by (None hides
    the field: a member of one station's desk has nothing to choose)."""

    q = forms.CharField(
        label=_("编号或手机号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("例如 20261123-K7P2QX")}),
    )
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部类型")), *RequestKind.choices], required=False
    )
    station = forms.ModelChoiceField(
        label=_("责任供热站"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("全部供热站"),
    )
    mine = forms.BooleanField(label=_("我负责的"), required=False)
    untaken = forms.BooleanField(label=_("待受理（无人受理）"), required=False)
    due_soon = forms.BooleanField(label=_("即将超时"), required=False)
    overdue = forms.BooleanField(label=_("已超时"), required=False)

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].queryset = stations

    def clean_status(self):
        return self.cleaned_data["status"] or STATUS_OPEN

    def clean_q(self):
        return self.cleaned_data["q"].strip().upper()


class TakeForm(forms.Form):
    """受理: nothing to fill in; the form carries the CSRF token."""


class ActionForm(forms.Form):
    ACTION_KINDS = (EventKind.CONTACTED, EventKind.VISITED, EventKind.NOTE)

    kind = forms.ChoiceField(
        label=_("事项"),
        choices=[(kind.value, kind.label) for kind in ACTION_KINDS],
        widget=forms.RadioSelect,
        initial=EventKind.CONTACTED,
    )
    note = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    at = forms.DateTimeField(
        label=_("办理时间"), widget=AdminDateTimeInput, required=False, help_text=_("留空为现在。")
    )

    def clean_kind(self):
        return EventKind(self.cleaned_data["kind"])


class TemperatureForm(forms.Form):
    """入户测温 by seed 004's 测温办法. Three reading inputs: the method needs one, two or three
    points by the room's area, which the workflow checks against the count filled in."""

    READING_FIELDS = ("reading_1", "reading_2", "reading_3")

    measured_at = forms.DateTimeField(
        label=_("测温时间"), widget=AdminDateTimeInput, required=False, help_text=_("留空为现在。")
    )
    room = forms.CharField(label=_("房间"), max_length=30, help_text=_("例如：主卧、起居室"))
    room_area = forms.DecimalField(
        label=_("房间面积（㎡）"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("500"),
        help_text=_("小于20㎡设1个测温点，20—40㎡设2个，40㎡以上设3个（距地面1.2米高处）。"),
    )
    reading_1 = forms.DecimalField(
        label=_("测点1读数（℃）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("-30"),
        max_value=Decimal("50"),
    )
    reading_2 = forms.DecimalField(
        label=_("测点2读数（℃）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("-30"),
        max_value=Decimal("50"),
        required=False,
        help_text=_("房间20㎡以上时填写。"),
    )
    reading_3 = forms.DecimalField(
        label=_("测点3读数（℃）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("-30"),
        max_value=Decimal("50"),
        required=False,
        help_text=_("房间40㎡以上时填写。"),
    )
    doors_closed_since = forms.DateTimeField(
        label=_("门窗关闭时间"),
        widget=AdminDateTimeInput,
        help_text=_("测温前门窗应关闭3小时以上。"),
    )
    signature = forms.ChoiceField(
        label=_("住户签字"), choices=Signature.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["readings"] = [
            cleaned_data[name] for name in self.READING_FIELDS if cleaned_data.get(name) is not None
        ]
        return cleaned_data


class HandOverForm(forms.Form):
    """移交 to a colleague of the request's station or to another station, with the reason."""

    to_user = forms.ModelChoiceField(
        label=_("移交给本站同事"), queryset=None, required=False, empty_label=_("（不选）")
    )
    to_station = forms.ModelChoiceField(
        label=_("或移交给其他供热站"),
        queryset=None,
        required=False,
        empty_label=_("（不选）"),
        help_text=_("移交其他供热站后，由该站服务人员重新受理。"),
    )
    reason = forms.CharField(
        label=_("移交原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = routing.staff_of(service_request.station).order_by("username")
        if service_request.owner_id is not None:
            colleagues = colleagues.exclude(pk=service_request.owner_id)
        self.fields["to_user"].queryset = colleagues
        self.fields["to_user"].label_from_instance = _person
        self.fields["to_station"].queryset = Station.objects.exclude(
            pk=service_request.station_id
        ).order_by("name")


class CloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("办理结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("办结后将短信通知用户，并请用户评价。"),
    )


class ReturnVisitForm(forms.Form):
    note = forms.CharField(
        label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()
