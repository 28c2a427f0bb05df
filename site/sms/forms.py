from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("验证码是6位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
