"""The blocks a regulation's body is made of, one per kind of thing in the document tree
(importers.docx.tree). Each renders with its own template; the page passes `anchor` and `level`
(see regulations.outline) so links from the table of contents land on stable ids."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic"]


class HeadingBlock(blocks.StructBlock):
    number = blocks.CharBlock(
        label=_("编号"), required=False, max_length=20, help_text=_("如“第一章”，没有可留空。")
    )
    title = blocks.CharBlock(label=_("标题"), required=False, max_length=200)


class ChapterBlock(HeadingBlock):
    class Meta:
        label = _("章")
        icon = "title"
        template = "regulations/blocks/chapter.html"


class SectionBlock(HeadingBlock):
    class Meta:
        label = _("节")
        icon = "title"
        template = "regulations/blocks/section.html"


class SubheadingBlock(HeadingBlock):
    class Meta:
        label = _("小标题")
        icon = "title"
        template = "regulations/blocks/subheading.html"


class ArticleBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("条号"), max_length=20, help_text=_("如“第十二条”。"))
    ordinal = blocks.IntegerBlock(
        label=_("序号"),
        min_value=1,
        help_text=_("条号对应的数字，用于链接地址，如第十二条填 12（#article-12）。"),
    )
    text = blocks.RichTextBlock(label=_("条文"), features=TEXT_FEATURES, required=False)

    class Meta:
        label = _("条")
        icon = "doc-full"
        template = "regulations/blocks/article.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=TEXT_FEATURES, **kwargs)

    class Meta:
        label = _("段落")
        icon = "pilcrow"
        template = "regulations/blocks/paragraph.html"


class ItemListBlock(blocks.StructBlock):
    ordered = blocks.BooleanBlock(label=_("编号列表"), required=False)
    items = blocks.ListBlock(
        blocks.RichTextBlock(features=TEXT_FEATURES), label=_("列表项"), min_num=1
    )

    class Meta:
        label = _("列表")
        icon = "list-ul"
        template = "regulations/blocks/list.html"


class CellBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("内容"), required=False)
    header = blocks.BooleanBlock(label=_("表头单元格"), required=False)
    colspan = blocks.IntegerBlock(label=_("跨列数"), min_value=1, max_value=100, default=1)
    rowspan = blocks.IntegerBlock(label=_("跨行数"), min_value=1, max_value=1000, default=1)


class NestedTableBlock(blocks.StructBlock):
    """A table inside a cell; its own cells hold no further tables."""

    caption = blocks.CharBlock(label=_("表格标题"), required=False, max_length=200)
    rows = blocks.ListBlock(blocks.ListBlock(CellBlock(), label=_("行")), label=_("表格行"))

    class Meta:
        label = _("单元格内的表格")
        template = "regulations/blocks/table.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context.update(table_layout(value["rows"]))
        return context


class OuterCellBlock(CellBlock):
    tables = blocks.ListBlock(NestedTableBlock(), label=_("单元格内的表格"), default=[])


class TableBlock(NestedTableBlock):
    caption = blocks.CharBlock(
        label=_("表格标题"),
        max_length=200,
        help_text=_("读屏软件会先读出标题，如“业务办理时限”。"),
    )
    rows = blocks.ListBlock(blocks.ListBlock(OuterCellBlock(), label=_("行")), label=_("表格行"))

    class Meta:
        label = _("表格")
        icon = "table"
        template = "regulations/blocks/table.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文字"),
        required=False,
        max_length=250,
        help_text=_("向看不到图片的读者说明图片内容；纯装饰的图片可留空。"),
    )

    class Meta:
        label = _("图片")
        icon = "image"
        template = "regulations/blocks/image.html"


class RegulationBodyBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
    section = SectionBlock()
    subheading = SubheadingBlock()
    article = ArticleBlock()
    paragraph = ParagraphBlock()
    list = ItemListBlock()
    table = TableBlock()
    image = ImageBlock()


def table_layout(rows) -> dict:
    """Rows split into <thead> (the leading rows made only of header cells) and <tbody>, each
    cell with its tag and scope: header cells in the head label columns, elsewhere rows."""
    rows = [list(row) for row in rows if len(row)]
    head_count = 0
    for row in rows:
        if not all(cell["header"] for cell in row):
            break
        head_count += 1
    if head_count == len(rows):  # a table of headers only: keep its rows as the body
        head_count = 0

    def layout(row, in_head: bool) -> list[dict]:
        cells = []
        for cell in row:
            scope = ""
            if cell["header"]:
                if in_head:
                    scope = "colgroup" if cell["colspan"] > 1 else "col"
                else:
                    scope = "rowgroup" if cell["rowspan"] > 1 else "row"
            cells.append(
                {
                    "tag": "th" if cell["header"] else "td",
                    "scope": scope,
                    "text": cell["text"],
                    "colspan": cell["colspan"],
                    "rowspan": cell["rowspan"],
                    "tables": cell["tables"].bound_blocks if "tables" in cell else [],
                }
            )
        return cells

    return {
        "head_rows": [layout(row, True) for row in rows[:head_count]],
        "body_rows": [layout(row, False) for row in rows[head_count:]],
    }
