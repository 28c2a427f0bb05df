from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.pages import BasePage
from core.sections import HOME_PAGE, sections
from home.blocks import HotlineBlock


class HomePage(BasePage):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    @classmethod
    def allowed_subpage_models(cls):
        """The section pages, which name the home page in their parent_page_types (home imports
        no app to list them); not Wagtail's plain Page, which names no parent."""
        return [model for model in super().allowed_subpage_models() if model is not Page]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = sections(HOME_PAGE, request)
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    company_name = models.CharField(_("企业名称"), max_length=80)
    hotlines = StreamField(
        [("hotline", HotlineBlock())],
        verbose_name=_("服务与监督热线"),
        blank=True,
        help_text=_("显示在每个页面的页眉和页脚，可直接拨打。"),
    )
    season_start = models.DateField(_("本供热期开始"), null=True, blank=True)
    season_end = models.DateField(_("本供热期结束"), null=True, blank=True)
    office_address = models.CharField(_("客服中心地址"), max_length=120, blank=True)

    panels = [
        FieldPanel("company_name"),
        FieldPanel("office_address"),
        FieldPanel("hotlines"),
        MultiFieldPanel([FieldPanel("season_start"), FieldPanel("season_end")], _("供热期")),
    ]

    class Meta:
        verbose_name = _("站点设置")

    @property
    def season_days(self) -> int | None:
        if self.season_start and self.season_end:
            return (self.season_end - self.season_start).days
        return None
