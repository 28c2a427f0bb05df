from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from rules.enums import Trigger


class ContentRuleForm(WagtailAdminModelForm):
    triggers = forms.MultipleChoiceField(
        label=_("触发事件"),
        choices=Trigger.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "发生其中任一事件时检查条件。停供通知有全部事件；其他信息公开页面有发布上线、按定时上线、内容更新、到期下线和撤下。"
        ),
        error_messages={"required": _("请至少选择一个触发事件。")},
    )
