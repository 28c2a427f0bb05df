from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.pages import BasePage
from core.sections import HOME_PAGE, sections
from home import filing
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
    # The filing numbers shown in every page's footer (home.filing): empty ones show nothing.
    icp_number = models.CharField(
        _("ICP备案号"),
        max_length=40,
        blank=True,
        validators=[filing.validate_icp_number],
        help_text=_("工业和信息化部ICP备案号，例如：吉ICP备12345678号-1；链接到ICP备案管理系统。"),
    )
    police_number = models.CharField(
        _("公安机关备案号"),
        max_length=40,
        blank=True,
        validators=[filing.validate_police_number],
        help_text=_(
            "公安机关互联网站安全管理备案号，例如：吉公网安备22010202000123号；"
            "带备案图标，链接到全国互联网安全管理服务平台的备案信息。"
        ),
    )
    website_code = models.CharField(
        _("网站标识码"),
        max_length=20,
        blank=True,
        validators=[filing.validate_website_code],
        help_text=_("政府网站的10位网站标识码；没有则留空。"),
    )

    panels = [
        FieldPanel("company_name"),
        FieldPanel("office_address"),
        FieldPanel("hotlines"),
        MultiFieldPanel([FieldPanel("season_start"), FieldPanel("season_end")], _("供热期")),
        MultiFieldPanel(
            [FieldPanel("icp_number"), FieldPanel("police_number"), FieldPanel("website_code")],
            _("备案信息"),
        ),
    ]

    class Meta:
        verbose_name = _("站点设置")

    def clean(self):
        """Stored as shown: full-width characters and spaces typed with the number go."""
        super().clean()
        for name in ("icp_number", "police_number", "website_code"):
            setattr(self, name, filing.normalise(getattr(self, name)))

    @property
    def season_days(self) -> int | None:
        if self.season_start and self.season_end:
            return (self.season_end - self.season_start).days
        return None
