from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from catalogue.columns import Column
from catalogue.models import CatalogueSection, DisclosedPage, metadata_panel
from chinese_text import segmentation
from core.pages import BasePage
from home.models import HomePage
from regulations.blocks import RegulationBodyBlock
from regulations.outline import build_outline

TOC_OPEN_LIMIT = 40  # longer tables of contents start folded


class RegulationIndexPage(CatalogueSection, BasePage):
    """法规标准 / 规章制度: the disclosure column of laws, standards and company rules."""

    catalogue_column = Column.REGULATIONS

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = ["regulations.RegulationPage"]

    class Meta:
        verbose_name = _("法规标准栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["regulations"] = (
            RegulationPage.objects.child_of(self)
            .live()
            .defer("body")
            .order_by(F("effective_date").desc(nulls_last=True), "title")
        )
        return context


class RegulationPage(DisclosedPage, BasePage):
    """A regulation, usually imported from a Word file (regulations.importer): its body is
    chapters, sections, articles, tables and images, each a block."""

    document_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("如“曲供热〔2024〕5号”，没有可留空。")
    )
    issuing_body = models.CharField(
        _("发布机关"), max_length=120, blank=True, help_text=_("制定或发布单位，发布前请填写。")
    )
    effective_date = models.DateField(
        _("施行日期"), null=True, blank=True, help_text=_("发布前请填写。")
    )
    original = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("原文"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("在页面上提供“下载原文”。"),
    )
    source_key = models.CharField(
        _("导入标识"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("重新导入同一标识的文件时，会为本页保存新版本而不是新建页面。默认取自标题。"),
    )
    body = StreamField(RegulationBodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuing_body")]),
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("original")]),
            ],
            heading=_("基本信息"),
        ),
        FieldPanel("body"),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("source_key"),
        metadata_panel(without=("document_number",)),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_title", boost=2),
        index.SearchField("search_text"),
    ]
    parent_page_types = ["regulations.RegulationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("规章制度")
        verbose_name_plural = _("规章制度")

    def catalogue_defaults(self) -> dict:
        return {"publisher": self.issuing_body}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        outline = build_outline(self.body)
        context.update(outline=outline, toc_open=outline.toc_size <= TOC_OPEN_LIMIT)
        return context

    def search_title(self) -> str:
        return segmentation.index_text(self.title)

    def search_text(self) -> str:
        body = self._meta.get_field("body").get_searchable_content(self.body)
        return segmentation.index_text(self.document_number, self.issuing_body, *body)
