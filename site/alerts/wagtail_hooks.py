from django.contrib import messages
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from alerts import admin_views, export
from alerts import sections as alert_sections
from alerts.channels import registry
from alerts.enums import ExportedList
from alerts.followers import admin_views as follower_views
from alerts.models import Subscriber, WeChatFollower
from alerts.recipients_admin import GroupRobotViewSet, PressContactViewSet
from core import sections
from notices.models import OutageNoticePage
from notices.queries import current_and_upcoming


class SubscriberViewSet(SnippetViewSet):
    """Numbers are personal data: masked in lists, searchable only by the whole number; the
    list's download is masked too, and logged (alerts.export)."""

    model = Subscriber
    index_view_class = export.SubscriberIndexView
    icon = "mobile-alt"
    menu_label = _("短信订阅用户")
    list_display = ["masked_phone", "status", "consent_source", "consent_at", "unsubscribed_at"]
    list_filter = ["status", "consent_source"]
    search_fields = ["phone"]
    add_to_admin_menu = True
    menu_order = 320
    panels = []

    def get_queryset(self, request):
        return Subscriber.objects.order_by("-created_at")


register_snippet(SubscriberViewSet)
register_snippet(GroupRobotViewSet)  # the 管家群 channel's recipients
register_snippet(PressContactViewSet)  # the 媒体 channel's recipients


class FollowerViewSet(SnippetViewSet):
    """公众号 followers, read-only: openids masked in the list and in the download (logged)."""

    model = WeChatFollower
    index_view_class = export.FollowerIndexView
    icon = "user"
    menu_label = _("公众号关注用户")
    list_display = ["masked_openid", "following", "created_at", "left_at"]
    list_filter = ["following"]
    add_to_admin_menu = False
    panels = []

    def get_queryset(self, request):
        return WeChatFollower.objects.order_by("-created_at")


register_snippet(FollowerViewSet)


@hooks.register("register_log_actions")
def register_export_action(actions):
    @actions.register_action(export.ACTION)
    class ListExported(LogFormatter):
        label = _("导出名单")

        def format_message(self, log_entry):
            exported = log_entry.data.get("list", ExportedList.SUBSCRIBERS)
            return _("导出%(list)s%(rows)d条（%(format)s）") % {
                "list": ExportedList(exported).label
                if exported in ExportedList.values
                else exported,
                "rows": log_entry.data.get("rows", 0),
                "format": str(log_entry.data.get("format", "")).upper(),
            }


@hooks.register("register_admin_urls")
def register_alerts_admin_urls():
    return [
        path(
            "alerts/notices/<id:notice_id>/deliveries/",
            admin_views.notice_deliveries,
            name="alerts_notice_deliveries",
        ),
        path(
            "alerts/messages/<id:message_id>/retry/",
            admin_views.retry_failed,
            name="alerts_retry_failed",
        ),
        path("alerts/wechat/", follower_views.overview, name="alerts_wechat"),
        path(
            "alerts/wechat/qr/<slug:code>.png",
            follower_views.qr_code,
            name="alerts_wechat_qr",
        ),
        path("alerts/wechat/menu/push/", follower_views.push_menu, name="alerts_wechat_push_menu"),
    ]


class WeChatMenuItem(MenuItem):
    """Counts only, but 审核's, like the subscriber list."""

    def is_shown(self, request):
        return request.user.has_perm(follower_views.VIEW)


@hooks.register("register_admin_menu_item")
def register_wechat_menu_item():
    return WeChatMenuItem(
        _("公众号"), reverse("alerts_wechat"), name="wechat", icon_name="mail", order=330
    )


@hooks.register("register_page_header_buttons")
def delivery_report_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific, OutageNoticePage) and user.has_perm(admin_views.PERMISSION):
        return [
            Button(
                _("推送"),
                reverse("alerts_notice_deliveries", args=(page.pk,)),
                icon_name="mail",
                priority=6,
            )
        ]
    return []


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def channel_preview_message(request, page):
    """After each save of a major notice: what every enabled channel will send, in short; the
    whole preview (template fields too) is on the notice's 推送 page."""
    notice = page.specific
    if isinstance(notice, OutageNoticePage) and notice.is_major:
        for channel in registry.enabled():
            shown = channel().preview(notice)
            messages.info(
                request,
                _("%(channel)s预览（%(length)d字）：%(text)s")
                % {"channel": channel.label, **shown},
            )


class UpcomingMajorOutagesPanel(Component):
    order = 90
    template_name = "alerts/admin/upcoming_panel.html"

    def get_context_data(self, parent_context=None):
        notices = current_and_upcoming(
            OutageNoticePage.objects.live().filter(is_major=True), timezone.now()
        )
        return {"notices": list(notices[:10])}


@hooks.register("construct_homepage_panels")
def add_upcoming_major_outages(request, panels):
    panels.append(UpcomingMajorOutagesPanel())


# The subscribe form on community and notice pages (core.sections).
hooks.register(sections.COMMUNITY_PAGE, alert_sections.community_subscribe_section)
hooks.register(sections.NOTICE_PAGE, alert_sections.notice_subscribe_section)
