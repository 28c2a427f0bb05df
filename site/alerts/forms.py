from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Community
from notices.enums import Utility
from sms.phones import InvalidPhone, normalise_mobile


class SubscribeForm(forms.Form):
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
    communities = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)
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
        codes = [code for code in self.cleaned_data.get("communities", "").split(",") if code][:20]
        return list(Community.objects.filter(code__in=codes))
