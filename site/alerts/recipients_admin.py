"""The admin of the robot and press channels' recipients (snippets, managed by 审核).

A robot's webhook key is write-only: the form takes a new key (or the whole webhook address
WeCom shows, which carries it) and never renders the saved one; the list and the form show
only its mask."""

import re
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from alerts.models import GroupRobot, PressContact

KEY = re.compile(r"[A-Za-z0-9-]{8,64}")


def key_from(value: str) -> str:
    """The key in what staff pasted: the key itself or the webhook address ending in ?key=..."""
    value = value.strip()
    if "key=" in value:
        return (parse_qs(urlsplit(value).query).get("key") or [""])[0].strip()
    return value


class GroupRobotForm(WagtailAdminModelForm):
    new_key = forms.CharField(
        label=gettext_lazy("Webhook key"),
        required=False,
        max_length=300,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_key"]
        if self.instance.pk:
            field.help_text = _(
                "当前：%(mask)s。留空则不变；填入新的 key 或 Webhook 地址则替换。"
            ) % {"mask": self.instance.masked_key}
        else:
            field.required = True
            field.help_text = _(
                "在企业微信群里“添加群机器人”后复制的 Webhook 地址，或其中 key= 后面的部分。"
            )

    def clean_new_key(self) -> str:
        value = self.cleaned_data["new_key"]
        if not value:
            return ""
        key = key_from(value)
        if not KEY.fullmatch(key):
            raise forms.ValidationError(
                _(
                    "无法识别的 Webhook key：请粘贴企业微信群机器人的 Webhook 地址或其中 key= 后面的部分。"
                )
            )
        if GroupRobot.objects.filter(webhook_key=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("这个机器人已经登记过了。"))
        return key

    def save(self, commit=True):
        key = self.cleaned_data.get("new_key")
        if key and key != self.instance.webhook_key:
            self.instance.webhook_key = key
            if self.instance.active:  # a new key for a robot WeCom had refused
                self.instance.deactivated_reason = ""
        return super().save(commit=commit)


class GroupRobotViewSet(SnippetViewSet):
    model = GroupRobot
    icon = "group"
    menu_label = gettext_lazy("管家群机器人")
    list_display = ["name", "community", "building", "masked_key", "active", "deactivated_reason"]
    list_filter = ["active", "community__district"]
    search_fields = ["name", "building", "community__name"]
    add_to_admin_menu = True
    menu_order = 321
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("community"),
            FieldPanel("building"),
            FieldPanel("new_key"),
            FieldPanel("active"),
            FieldPanel("deactivated_reason", read_only=True),
        ],
        base_form_class=GroupRobotForm,
    )

    def get_queryset(self, request):
        return GroupRobot.objects.select_related("community").order_by("community__name", "name")


class PressContactViewSet(SnippetViewSet):
    """Work addresses of newsrooms: shown in the form (to edit them), masked in the list."""

    model = PressContact
    icon = "mail"
    menu_label = gettext_lazy("媒体联系人")
    list_display = ["outlet", "person", "masked_email", "active", "note"]
    list_filter = ["active"]
    search_fields = ["outlet", "person", "email"]
    add_to_admin_menu = True
    menu_order = 322
    panels = [
        FieldPanel("outlet"),
        FieldPanel("person"),
        FieldPanel("email"),
        FieldPanel("active"),
        FieldPanel("note"),
    ]

    def get_queryset(self, request):
        return PressContact.objects.order_by("outlet", "person")
