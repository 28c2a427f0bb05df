"""The 公众号 custom menu (自定义菜单) as editors build it in the site settings: up to three
buttons, each opening a page or link, answering 我的小区, or holding up to five sub-buttons.
WeChat counts names in bytes (a button 16, a sub-button 60: a Chinese character is 3)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

TOP_NAME_BYTES = 16
SUB_NAME_BYTES = 60


class MenuAction(blocks.ChoiceBlock):
    choices = [
        ("page", _("打开本站页面")),
        ("url", _("打开链接")),
        ("my_community", _("回复我的小区停供信息")),
    ]


class MenuItemBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("名称"), max_length=20)
    action = MenuAction(label=_("点击后"), default="page")
    page = blocks.PageChooserBlock(label=_("页面"), required=False)
    url = blocks.URLBlock(label=_("链接"), required=False)

    name_bytes = SUB_NAME_BYTES

    class Meta:
        icon = "link"
        label = _("菜单项")

    def clean(self, value):
        value = super().clean(value)
        errors = self.name_errors(value) | self.action_errors(value)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def name_errors(self, value) -> dict:
        if len(value["name"].encode()) <= self.name_bytes:
            return {}
        message = _("名称太长：微信限%(bytes)d字节（约%(chars)d个汉字）。") % {
            "bytes": self.name_bytes,
            "chars": self.name_bytes // 3,
        }
        return {"name": ValidationError(message)}

    def action_errors(self, value) -> dict:
        if value["action"] == "page" and not value["page"]:
            return {"page": ValidationError(_("请选择要打开的页面。"))}
        if value["action"] == "url" and not value["url"]:
            return {"url": ValidationError(_("请填写要打开的链接。"))}
        return {}


class MenuButtonBlock(MenuItemBlock):
    """A top-level button: an action of its own, or a list of sub-buttons (then its action is
    not used)."""

    sub_buttons = blocks.ListBlock(
        MenuItemBlock(), label=_("子菜单"), max_num=5, min_num=0, default=[]
    )

    name_bytes = TOP_NAME_BYTES

    class Meta:
        icon = "list-ul"
        label = _("菜单按钮")

    def action_errors(self, value) -> dict:
        return {} if value["sub_buttons"] else super().action_errors(value)
