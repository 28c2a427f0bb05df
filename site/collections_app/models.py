"""A collection (专题): a page whose content is a saved query over the disclosure catalogue,
built by staff in the admin: "第一供热所本周停水", "宽城区全部停气". The page lists what the query
selects; its RSS, Atom, iCalendar and JSON are at addresses by its id (collections_app.urls,
docs/feeds.md)."""

from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from collections_app.forms import CollectionPageForm
from collections_app.links import channel_links
from collections_app.listing import PAGE_SIZE, Entry, page_number
from collections_app.query import KEYWORD_MAX_LENGTH
from collections_app.reading import reading
from collections_app.windows import Window
from contacts.models import Branch, Community, Station
from core.pages import BasePage
from home.models import HomePage


def _places(model, name, help_text) -> ParentalManyToManyField:
    return ParentalManyToManyField(
        model, verbose_name=name, blank=True, related_name="collection_pages", help_text=help_text
    )


class CollectionPage(BasePage):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])
    page_types = models.JSONField(_("内容类型"), default=list, blank=True)
    columns = models.JSONField(_("目录栏目"), default=list, blank=True)
    utilities = models.JSONField(_("停供类型"), default=list, blank=True)
    states = models.JSONField(_("通知状态"), default=list, blank=True)
    branches = _places(Branch, _("分公司"), _("分公司下各供热站的全部小区。"))
    stations = _places(Station, _("供热站"), _("供热站的全部小区。"))
    communities = _places(Community, _("小区"), _("按住Ctrl（Mac为⌘）可多选。"))
    window = models.CharField(
        _("时间范围"),
        max_length=20,
        choices=Window.choices,
        default=Window.ALL,
        help_text=_(
            "按访问时的北京时间计算：停供通知看停供时段是否与所选日期重叠，其他信息看发布日期。"
        ),
    )
    keyword = models.CharField(
        _("关键词"),
        max_length=KEYWORD_MAX_LENGTH,
        blank=True,
        help_text=_("只收录标题或摘要含有这个词的信息；留空为不限。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        HelpPanel(
            _(
                "专题按下面的条件自动收录信息公开目录中的信息，并提供RSS、Atom、日历和JSON订阅。"
                "各项条件同时满足；同一项勾选多个时满足其一即可。停供类型、通知状态和范围只适用于停供通知。"
            )
        ),
        MultiFieldPanel(
            [FieldPanel("page_types"), FieldPanel("columns"), FieldPanel("keyword")],
            heading=_("收录哪些信息"),
        ),
        MultiFieldPanel([FieldPanel("utilities"), FieldPanel("states")], heading=_("停供通知")),
        MultiFieldPanel(
            [
                FieldPanel("branches", widget=CheckboxSelectMultiple),
                FieldPanel("stations", widget=CheckboxSelectMultiple),
                FieldPanel("communities"),
            ],
            heading=_("范围（任选其一即可）"),
        ),
        FieldPanel("window"),
    ]
    parent_page_types = [HomePage, "disclosure.CataloguePage"]
    subpage_types = []
    base_form_class = CollectionPageForm

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        current = reading(request, self)
        number = page_number(request.GET.get("page"))
        items, has_next = current.page(number, PAGE_SIZE)
        context.update(
            entries=[Entry.of(item) for item in items],
            number=number,
            has_next=has_next,
            criteria=current.query.criteria(),
            days=current.days,
            channels=channel_links(self, request),
        )
        return context
