"""The 公众号 page of the admin (审核): followers per community (counts only: no openid on
screen), each community's QR code to download and print, and the custom menu pushed to WeChat
with one action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Site

import wechat
from alerts.followers import menu
from alerts.models import CommunityQrCode, FollowerBinding, WeChatFollower, WeChatMenuSettings
from contacts.models import Community
from wechat.client import WeChatClient
from wechat.qr import qr_png

VIEW = "alerts.view_wechatfollower"
PUSH = "alerts.change_wechatmenusettings"
PER_PAGE = 50


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def overview(request):
    _require(request, VIEW)
    query = request.GET.get("q", "").strip()[:40]
    communities = Community.objects.annotate(
        followers=Count("wechat_bindings", filter=Q(wechat_bindings__follower__following=True))
    ).order_by("-followers", "code")
    if query:
        communities = communities.lookup(query)
    page = Paginator(communities, PER_PAGE).get_page(request.GET.get("p"))
    menu_settings = _menu_settings(request)
    return TemplateResponse(
        request,
        "alerts/admin/wechat_overview.html",
        {
            "configured": wechat.is_configured(),
            "followers": WeChatFollower.objects.filter(following=True).count(),
            "bound": FollowerBinding.objects.filter(follower__following=True).count(),
            "page": page,
            "query": query,
            "menu_settings": menu_settings,
            "menu": menu.menu(menu_settings)["button"],
            "can_push": request.user.has_perm(PUSH),
        },
    )


def _menu_settings(request) -> WeChatMenuSettings:
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    return WeChatMenuSettings.for_site(site)


def qr_code(request, code: str):
    """The community's permanent QR code as a PNG to print: created at WeChat once (the scene
    is the community's code), drawn here from its URL."""
    _require(request, VIEW)
    community = get_object_or_404(Community, code=code)
    stored = CommunityQrCode.objects.filter(community=community).first()
    if stored is None:
        if not wechat.is_configured():
            messages.error(request, _("公众号尚未配置，无法生成二维码。"))
            return redirect("alerts_wechat")
        try:
            url = WeChatClient.from_settings().create_scene_qr(community.code)
        except wechat.WeChatError as exc:
            messages.error(request, _("微信未能生成二维码：%(error)s") % {"error": exc})
            return redirect("alerts_wechat")
        stored, _created = CommunityQrCode.objects.get_or_create(
            community=community, defaults={"url": url}
        )
    response = HttpResponse(qr_png(stored.url), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="wechat-{community.code}.png"'
    return response


@require_POST
def push_menu(request):
    _require(request, PUSH)
    menu_settings = _menu_settings(request)
    if not wechat.is_configured():
        messages.error(request, _("公众号尚未配置，无法推送菜单。"))
        return redirect("alerts_wechat")
    try:
        WeChatClient.from_settings().create_menu(menu.menu(menu_settings))
    except wechat.WeChatError as exc:
        result = _("失败：%(error)s") % {"error": exc}
        messages.error(request, _("菜单推送失败：%(error)s") % {"error": exc})
    else:
        result = _("成功")
        messages.success(request, _("菜单已推送到微信，关注用户重新进入公众号后可见。"))
    WeChatMenuSettings.objects.filter(pk=menu_settings.pk).update(
        pushed_at=timezone.now(), push_result=result[:200]
    )
    return redirect("alerts_wechat")
