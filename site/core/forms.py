"""Forms residents fill in: every error speaks of the field in plain Chinese.

Django's own messages read oddly in Chinese (a NUL byte gives 不允许是用空字符串。, a long
value 确保该变量包含不超过 20 字符) and never name the field. A `PublicForm` gives each of its
fields a message for every error Django can raise (its own `error_messages` and its validators'
codes), naming the field by its label, unless the field says its own. Errors of hidden fields
(which no one sees beside their input) are shown at the top of the form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Django fills these placeholders from the ValidationError's params when it shows the message.
_KEPT = ("limit_value", "show_value", "max", "value")

MESSAGES = {
    "required": _("请填写%(label)s。"),
    "invalid": _("%(label)s的格式不正确，请核对后重新填写。"),
    "max_length": _("%(label)s最多%(limit_value)s个字（现在%(show_value)s个），请精简后再提交。"),
    "min_length": _("%(label)s至少%(limit_value)s个字。"),
    "null_characters_not_allowed": _("%(label)s含有无法识别的字符，请重新输入。"),
    "max_value": _("%(label)s不能大于%(limit_value)s。"),
    "min_value": _("%(label)s不能小于%(limit_value)s。"),
    "step_size": _("%(label)s请填写%(limit_value)s的整数倍。"),
    "max_digits": _("%(label)s的数字太长，请核对。"),
    "max_whole_digits": _("%(label)s的数字太大，请核对。"),
    "max_decimal_places": _("%(label)s最多保留%(max)s位小数。"),
    "invalid_choice": _("请从给出的选项中选择%(label)s。"),
    "invalid_list": _("请从给出的选项中选择%(label)s。"),
    "invalid_pk_value": _("请从给出的选项中选择%(label)s。"),
}
# Codes whose `required` reads better as a choice than as typing.
_CHOOSE = _("请选择%(label)s。")


def _label_into(message, label) -> str:
    """`message` with the label put in and Django's own placeholders left for Django."""
    return str(message) % {"label": label, **{name: f"%({name})s" for name in _KEPT}}


_label_into_lazy = lazy(_label_into, str)


def _class_defaults(field: forms.Field) -> dict:
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def chinese_messages(field: forms.Field) -> None:
    """Give `field` a Chinese message naming it for every code Django's would answer; the
    messages the field was given itself stay."""
    label = field.label or _("提交的内容")
    defaults = _class_defaults(field)
    choosing = isinstance(field, forms.ChoiceField | forms.BooleanField)
    for code, message in MESSAGES.items():
        if code == "required" and choosing:
            message = _CHOOSE
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = _label_into_lazy(message, label)


class PublicForm(forms.Form):
    def full_clean(self):
        """Messages given here, not in __init__, so that fields a subclass adds in its own
        __init__ get them too."""
        for field in self.fields.values():
            chinese_messages(field)
        super().full_clean()
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self._errors:
                self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
                self._errors[NON_FIELD_ERRORS].extend(self._errors.pop(name))
