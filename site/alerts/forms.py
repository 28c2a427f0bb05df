from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Community
from core.forms import PublicForm
from notices.enums import Utility
from sms.phones import InvalidPhone, normalise_mobile

MAX_COMMUNITIES = 20
TOO_MANY_COMMUNITIES = _("一次最多关注20个小区，请减少后再提交。")


class SubscribeForm(PublicForm):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    utilities = forms.MultipleChoiceField(
        label=_("接收哪些停供"),
        choices=Utility.choices,
        initial=Utility.values,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种停供类型。")},
    )
    # Community codes, comma-separated, carried from the community page that linked here.
    communities = forms.CharField(
        label=_("关注的小区"),
        required=False,
        widget=forms.HiddenInput,
        max_length=400,
        error_messages={"max_length": TOO_MANY_COMMUNITIES},
    )
    consent = forms.BooleanField(
        label=_("我同意接收停供短信，可随时回复“退订”取消。"),
        error_messages={"required": _("请勾选同意接收短信。")},
    )

    def clean_phone(self):
        try:
            return normalise_mobile(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_communities(self):
        codes = {code for code in self.cleaned_data.get("communities", "").split(",") if code}
        if len(codes) > MAX_COMMUNITIES:
            raise forms.ValidationError(TOO_MANY_COMMUNITIES)
        return list(Community.objects.filter(code__in=codes))
