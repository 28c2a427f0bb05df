from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HotlineKind(blocks.ChoiceBlock):
    choices = [
        ("service", _("24小时服务热线")),
        ("supervision", _("服务监督热线")),
        ("government", _("政府服务热线")),
    ]


class HotlineBlock(blocks.StructBlock):
    kind = HotlineKind(label=_("类别"))
    label = blocks.CharBlock(label=_("名称"), max_length=40, help_text=_("例如：客户服务热线"))
    number = blocks.RegexBlock(
        label=_("号码"),
        regex=r"^[0-9][0-9\- ]{2,19}$",
        error_messages={"invalid": _("请填写数字电话号码，可含短横线。")},
    )
    hours = blocks.CharBlock(
        label=_("接听时间"), max_length=60, required=False, help_text=_("例如：供热期24小时")
    )

    class Meta:
        icon = "mobile-alt"
        template = "home/blocks/hotline.html"
        label = _("热线")
