"""The residents' forms: a request of one kind, the progress lookup and the rating (the texted
code reuses sms.forms.VerifyForm).

A request asks only for what its kind needs: the 门牌 where someone has to come (测温, valves)
and the 供暖卡号 where the account is acted on (报停, 恢复用热); nothing else is collected."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Community
from core import typed_input
from core.forms import PublicForm
from servicedesk.enums import Satisfaction
from servicedesk.kinds import KindRule
from sms.phones import InvalidPhone, normalise_mobile

COMMUNITY_ERROR = _("请从名录中选择您的小区。")
DESCRIPTION_MAX = 1000
COMMENT_MAX = 300
# A reference as printed (20261123-K7P2QX), typed with or without the dash, in any case.
REFERENCE = re.compile(r"^(\d{8})-?([0-9A-Z]{6})$")


class ServiceRequestForm(PublicForm):
    # A code from the directory: hidden when the community is known, radio buttons after a search.
    community = forms.CharField(
        label=_("小区"),
        max_length=40,
        widget=forms.HiddenInput,
        error_messages={"required": COMMUNITY_ERROR, "max_length": COMMUNITY_ERROR},
    )
    description = forms.CharField(
        label=_("诉求内容"),
        max_length=DESCRIPTION_MAX,
        help_text=_("请写明遇到的问题或想办理的事项，最多1000字。"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX}),
        error_messages={
            "required": _("请填写诉求内容。"),
            "max_length": _("诉求内容最多1000字，请精简后再提交。"),
        },
    )
    address = forms.CharField(
        label=_("门牌（楼栋、单元、房号）"),
        max_length=60,
        help_text=_("例如：3号楼2单元501"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("请填写楼栋、单元和房号，方便工作人员上门。"),
            "max_length": _("门牌最多60字。"),
        },
    )
    account_number = typed_input.NfkcRegexField(
        label=_("供暖卡号"),
        regex=r"^[0-9A-Za-z]+$",
        max_length=30,
        help_text=_("见供暖缴费卡或缴费凭证，只含数字和字母。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": _("请填写供暖卡号。"),
            "invalid": _("供暖卡号只能包含数字和字母。"),
            "max_length": _("供暖卡号最多30位。"),
        },
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("我们会发送验证码，并用短信告知办理进度。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("请填写手机号码。")},
    )

    def __init__(self, *args, rule: KindRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        if not rule.asks_address:
            del self.fields["address"]
        if not rule.asks_account:
            del self.fields["account_number"]

    def clean_community(self) -> Community:
        community = (
            Community.objects.for_directory().filter(code=self.cleaned_data["community"]).first()
        )
        if community is None:
            raise forms.ValidationError(COMMUNITY_ERROR)
        return community

    def clean_phone(self) -> str:
        try:
            return normalise_mobile(self.cleaned_data["phone"])
        except InvalidPhone:
            # alerts' own wording speaks of subscribing; the cause is the same.
            raise forms.ValidationError(
                _("请填写正确的中国大陆手机号码（11位）；固定电话收不到验证码。")
            ) from None

    def clean_account_number(self) -> str:
        return self.cleaned_data["account_number"].upper()


class LookupForm(PublicForm):
    """Reference number and the last four digits of the phone: both, or nothing is found."""

    reference = forms.CharField(
        label=_("诉求编号"),
        max_length=20,
        help_text=_("例如：20261123-K7P2QX"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("请填写诉求编号。")},
    )
    phone_last4 = typed_input.NfkcRegexField(
        label=_("手机号后四位"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("请填写手机号后四位。"),
            "invalid": _("请填写4位数字。"),
            "max_length": _("请填写4位数字。"),
        },
    )

    def clean_reference(self) -> str:
        """The reference as stored, or "" for a shape no reference has (found by no one)."""
        typed = re.sub(r"\s+", "", self.cleaned_data["reference"]).upper()
        match = REFERENCE.match(typed)
        return f"{match[1]}-{match[2]}" if match else ""


class RatingForm(PublicForm):
    score = forms.TypedChoiceField(
        label=_("您对本次办理是否满意？"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择满意程度。"),
            "invalid_choice": _("请选择满意程度。"),
        },
    )
    comment = forms.CharField(
        label=_("意见或建议"),
        required=False,
        max_length=COMMENT_MAX,
        help_text=_("最多300字；请勿填写姓名、电话等个人信息。"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        error_messages={"max_length": _("意见最多300字。")},
    )
