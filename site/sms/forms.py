import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PublicForm
from sms.verification import typed_code

CODE = re.compile(r"[0-9]{6}")


class VerifyForm(PublicForm):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=20,
        error_messages={"max_length": _("验证码是6位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        """Six ASCII digits once normalised (sms.verification.typed_code): full-width digits
        and spaces are fine; other scripts' digits, which `\\d` would take, are not."""
        code = typed_code(self.cleaned_data["code"])
        if not CODE.fullmatch(code):
            raise forms.ValidationError(_("验证码是6位数字。"))
        return code
