"""The blocks the 信息公开 pages are made of, each rendered by its own template under
disclosure/blocks/ (the house pattern of regulations.blocks).

Nothing a block shows is copied from another room: a time limit is a published commitment
chosen by its key (`CommitmentLimitBlock`, rendered from the commitment as published now), the
site's hotlines come from 站点设置 and the online forms are the service desk's."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from catalogue.columns import Column
from commitments.models import Commitment
from home.blocks import HotlineBlock
from servicedesk.enums import RequestKind

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
PHONE_REGEX = r"^[0-9][0-9\- ]{2,19}$"


def commitment_choices() -> list[tuple[str, str]]:
    """The keys of the published commitments, labelled as residents read them. Evaluated when
    the editor's form is built, so a commitment published later is offered at once."""
    choices: dict[str, str] = {}
    for commitment in (
        Commitment.objects.filter(page__live=True)
        .select_related("page")
        .order_by("page__path", "sort_order")
    ):
        choices.setdefault(
            commitment.key,
            f"{commitment.service_item}（{commitment.limit_display}）— {commitment.page.title}",
        )
    return list(choices.items())


# Time limits ---------------------------------------------------------------------------------


class CommitmentKeyBlock(blocks.ChoiceBlock):
    """A commitment's key, chosen from the published ones. Stored and read as the key itself:
    Wagtail's ChoiceBlock matches every value read against its choices, which here would be a
    query per block on every page view."""

    def to_python(self, value):
        return value

    def normalize(self, value):
        return value


class CommitmentLimitBlock(blocks.StructBlock):
    """A time limit taken from the published commitments: the block stores the key only, and
    renders the commitment's limit and wording as they are published at the moment of reading.

    The page puts the commitments its blocks name in its context (`guide_commitments`, one
    query for all); rendered elsewhere the block looks its own up."""

    key = CommitmentKeyBlock(
        label=_("服务承诺事项"),
        choices=commitment_choices,
        help_text=_("时限取自已发布的服务承诺：承诺修改后，这里随之改变。"),
        search_index=False,
    )
    label = blocks.CharBlock(
        label=_("环节"),
        required=False,
        max_length=40,
        help_text=_("如“关阀”“开阀”，可留空（显示承诺的服务项目）。"),
    )

    class Meta:
        label = _("承诺时限")
        icon = "time"
        template = "disclosure/blocks/commitment_limit.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        found = (parent_context or {}).get("guide_commitments")
        if found is None:
            from commitments.lookup import published_commitment

            context["commitment"] = published_commitment(value["key"])
        else:
            context["commitment"] = found.get(value["key"])
        return context


def commitment_keys(*streams) -> list[str]:
    """The commitment keys the given stream values name, in order, each once."""
    keys: list[str] = []
    for stream in streams:
        for block in stream:
            if block.block_type == "time_limit" and block.value["key"] not in keys:
                keys.append(block.value["key"])
    return keys


# 办事指南 ------------------------------------------------------------------------------------


class MaterialBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("材料名称"), max_length=120)
    note = blocks.CharBlock(
        label=_("说明"), required=False, max_length=200, help_text=_("如“原件，查验后退还”。")
    )
    optional = blocks.BooleanBlock(
        label=_("视情况提供"), required=False, help_text=_("勾选后标注“视情况提供”。")
    )

    class Meta:
        label = _("材料")
        icon = "doc-full"
        template = "disclosure/blocks/material.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("步骤"), max_length=80)
    text = blocks.TextBlock(label=_("说明"), required=False)

    class Meta:
        label = _("步骤")
        icon = "list-ol"
        template = "disclosure/blocks/step.html"


class OnlineFormBlock(blocks.StructBlock):
    """The service desk's online form for the matter (/service/<kind>/)."""

    kind = blocks.ChoiceBlock(label=_("在线办理事项"), choices=RequestKind.choices)
    note = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    class Meta:
        label = _("网上办理（本站）")
        icon = "form"
        template = "disclosure/blocks/online_form.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = RequestKind(value["kind"]).label
        return context


class OfficeBlock(blocks.StructBlock):
    name = blocks.CharBlock(
        label=_("办理地点"), max_length=80, help_text=_("如“所属供热分公司营业厅”。")
    )
    address = blocks.CharBlock(label=_("地址"), required=False, max_length=160)
    hours = blocks.CharBlock(label=_("办理时间"), required=False, max_length=80)
    note = blocks.CharBlock(label=_("说明"), required=False, max_length=200)
    directory_link = blocks.BooleanBlock(
        label=_("链接到联系名录"),
        required=False,
        help_text=_("地点因小区而异时勾选：居民在联系名录中查找所属分公司和供热站。"),
    )

    class Meta:
        label = _("窗口办理")
        icon = "home"
        template = "disclosure/blocks/office.html"


class PhoneBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("名称"), max_length=60)
    number = blocks.RegexBlock(
        label=_("号码"),
        regex=PHONE_REGEX,
        error_messages={"invalid": _("请填写数字电话号码，可含短横线。")},
    )
    hours = blocks.CharBlock(label=_("接听时间"), required=False, max_length=60)
    note = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    class Meta:
        label = _("电话办理")
        icon = "mobile-alt"
        template = "disclosure/blocks/phone.html"


class ChannelBlock(blocks.StructBlock):
    """Any other channel: 微信公众号, 支付宝, a bank's counters, with the way through it."""

    name = blocks.CharBlock(label=_("渠道"), max_length=60)
    how = blocks.TextBlock(label=_("办理方法"), help_text=_("如“在线服务—在线报停—……”。"))

    class Meta:
        label = _("其他渠道")
        icon = "link"
        template = "disclosure/blocks/channel.html"


GUIDE_CHANNEL_BLOCKS = [
    ("online_form", OnlineFormBlock()),
    ("office", OfficeBlock()),
    ("phone", PhoneBlock()),
    ("channel", ChannelBlock()),
]


# 安全常识 ------------------------------------------------------------------------------------


class AdviceBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=80)
    text = blocks.RichTextBlock(label=_("内容"), features=TEXT_FEATURES)
    image = ImageChooserBlock(label=_("配图"), required=False)
    image_alt = blocks.CharBlock(
        label=_("图片的文字说明"),
        required=False,
        max_length=200,
        help_text=_("供读屏软件朗读；留空则用图片的描述。"),
    )

    class Meta:
        label = _("安全提示")
        icon = "warning"
        template = "disclosure/blocks/advice.html"


# 栏目页 (ColumnPage) -------------------------------------------------------------------------


class TextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=["h3", *TEXT_FEATURES], **kwargs)

    class Meta:
        label = _("正文")
        icon = "pilcrow"
        template = "disclosure/blocks/text.html"


class HeadingBlock(blocks.CharBlock):
    def __init__(self, **kwargs):
        super().__init__(max_length=80, **kwargs)

    class Meta:
        label = _("小标题")
        icon = "title"
        template = "disclosure/blocks/heading.html"


class SiteHotlinesBlock(blocks.StaticBlock):
    """The hotlines of 站点设置 (the ones in every page's footer), not a copy of them."""

    class Meta:
        label = _("本站服务与监督热线")
        icon = "mobile-alt"
        admin_text = _("显示“站点设置”中的服务与监督热线。")
        template = "disclosure/blocks/site_hotlines.html"


class HotlinesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), required=False, max_length=60)
    hotlines = blocks.ListBlock(HotlineBlock(), label=_("热线"), min_num=1)

    class Meta:
        label = _("其他热线")
        icon = "mobile-alt"
        template = "disclosure/blocks/hotlines.html"


class ServiceDeskBlock(blocks.StructBlock):
    """A link to the service desk (在线办理), or to one of its forms."""

    kind = blocks.ChoiceBlock(
        label=_("表单"),
        choices=RequestKind.choices,
        required=False,
        help_text=_("留空链接到“在线办理”首页。"),
    )
    text = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    class Meta:
        label = _("在线办理链接")
        icon = "form"
        template = "disclosure/blocks/service_desk.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = RequestKind(value["kind"]).label if value["kind"] else ""
        return context


class PublicationRowBlock(blocks.StructBlock):
    what = blocks.CharBlock(label=_("公开的信息"), max_length=120)
    column = blocks.ChoiceBlock(label=_("栏目"), choices=Column.choices, required=False)
    where = blocks.CharBlock(label=_("公开方式"), max_length=200)
    when = blocks.CharBlock(label=_("公开时限"), max_length=200)


class PublicationTableBlock(blocks.StructBlock):
    """What is published where and how soon (信息公开指南): a table whose column cells link to
    the column's entry in the catalogue when the page knows its address (`catalogue_url`)."""

    caption = blocks.CharBlock(label=_("表格标题"), max_length=80)
    rows = blocks.ListBlock(PublicationRowBlock(), label=_("行"), min_num=1)

    class Meta:
        label = _("公开内容表")
        icon = "table"
        template = "disclosure/blocks/publication_table.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        catalogue = (parent_context or {}).get("catalogue_url", "")
        context["rows"] = [
            {
                **row,
                "column_label": Column(row["column"]).label if row["column"] else "",
                "url": f"{catalogue}#column-{row['column']}" if catalogue and row["column"] else "",
            }
            for row in value["rows"]
        ]
        return context


COLUMN_BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("text", TextBlock()),
    ("site_hotlines", SiteHotlinesBlock()),
    ("hotlines", HotlinesBlock()),
    ("service_desk", ServiceDeskBlock()),
    ("time_limit", CommitmentLimitBlock()),
    ("publications", PublicationTableBlock()),
]
