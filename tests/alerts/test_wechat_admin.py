"""The 公众号 in the admin: 审核 sees followers per community (counts, never an openid), downloads
the masked follower list (recorded), and is told plainly when the account is not configured."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from wagtail.models import ModelLogEntry, Site

from alerts.blocks import MenuButtonBlock
from alerts.enums import ExportedList
from alerts.followers import bindings
from alerts.models import CommunityQrCode, SubscriberExport, WeChatFollower, WeChatMenuSettings
from contacts.models import Community
from standins.wechat_api import WeChatApiStandin

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
OPENIDS = [f"oFollowerOpenid{index:012d}" for index in range(3)]
FOLLOWERS = "/admin/snippets/alerts/wechatfollower/"


@pytest.fixture
def followers():
    xingyu = Community.objects.get(code="LY-0001")
    anju = Community.objects.get(code="LY-0002")
    for openid in OPENIDS:
        bindings.bind(openid, xingyu)
    bindings.bind(OPENIDS[0], anju)
    bindings.left([OPENIDS[2]])
    return OPENIDS


def test_the_overview_counts_followers_per_community_for_moderators_only(
    client, editor, moderator, followers
):
    client.force_login(editor)
    assert client.get("/admin/alerts/wechat/").status_code in (302, 403)
    client.force_login(moderator)
    page = client.get("/admin/alerts/wechat/").content.decode()
    assert "绑定了小区的关注用户 2 人，共 3 个绑定" in page
    row = page.split('<th scope="row">星宇小区</th>')[1].split("</tr>")[0]
    assert "<td>2</td>" in row  # the follower who left is not counted
    assert "公众号尚未配置" in page
    assert not any(openid in page for openid in followers)
    # The default menu, shown before anything is pushed.
    assert "<strong>我的小区</strong> → 回复已绑定小区的停供信息" in page
    assert '<strong>在线报停</strong> → <a href="http://testserver/service/">' in page


def test_qr_codes_and_the_menu_need_a_configured_account(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/alerts/wechat/qr/LY-0001.png", follow=True)
    assert "公众号尚未配置，无法生成二维码" in response.content.decode()
    response = client.post("/admin/alerts/wechat/menu/push/", follow=True)
    assert "公众号尚未配置，无法推送菜单" in response.content.decode()
    assert client.get("/admin/alerts/wechat/menu/push/").status_code == 405


def test_the_follower_list_and_its_download_are_masked_and_recorded(
    client, editor, moderator, followers
):
    client.force_login(editor)
    assert client.get(FOLLOWERS).status_code in (302, 403)
    client.force_login(moderator)
    listing = client.get(FOLLOWERS).content.decode()
    assert "oFol****0000" in listing
    assert not any(openid in listing for openid in followers)

    response = client.get(FOLLOWERS, {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, *rows = csv.reader(io.StringIO(body))
    assert header[:2] == ["编号", "openid（已隐藏）"]
    assert len(rows) == WeChatFollower.objects.count() == 3
    assert not any(openid in body for openid in followers)
    assert {row[3] for row in rows} == {"安居三期、星宇小区", "星宇小区", ""}
    export = SubscriberExport.objects.get()
    assert (export.exported_list, export.rows) == (ExportedList.FOLLOWERS, 3)
    entry = ModelLogEntry.objects.get(action="alerts.export_subscribers")
    assert entry.data["list"] == "followers"


def test_an_editor_cannot_download_followers(client, editor, followers):
    client.force_login(editor)
    assert client.get(FOLLOWERS, {"export": "csv"}).status_code in (302, 403)


@pytest.fixture
def account():
    with WeChatApiStandin("wx-admin", "admin-secret") as standin:
        with override_settings(
            WECHAT_APP_ID="wx-admin",
            WECHAT_APP_SECRET="admin-secret",
            WECHAT_TOKEN="token",
            WECHAT_API_BASE=standin.api_base,
        ):
            cache.clear()
            yield standin


def test_a_community_qr_code_is_created_once_and_drawn_locally(client, moderator, account):
    client.force_login(moderator)
    first = client.get("/admin/alerts/wechat/qr/LY-0001.png")
    assert first["Content-Type"] == "image/png"
    assert first["Content-Disposition"] == 'attachment; filename="wechat-LY-0001.png"'
    assert first.content.startswith(b"\x89PNG")
    second = client.get("/admin/alerts/wechat/qr/LY-0001.png")
    assert second.content == first.content
    assert account.calls["qrcode"] == 1  # WeChat's permanent codes are counted: made once
    assert CommunityQrCode.objects.get(community__code="LY-0001").url == account.qr_url("LY-0001")


def test_the_menu_from_the_site_settings_is_pushed_with_one_action(
    client, editor, moderator, account
):
    settings = WeChatMenuSettings.for_site(Site.objects.get(is_default_site=True))
    settings.buttons = [
        ("button", {"name": "停热通知", "action": "url", "url": "https://heat.example.cn/n/"}),
        (
            "button",
            {
                "name": "服务",
                "action": "page",
                "sub_buttons": [
                    {"name": "在线报停", "action": "url", "url": "https://heat.example.cn/s/"},
                    {"name": "我的小区", "action": "my_community"},
                ],
            },
        ),
    ]
    settings.save()
    client.force_login(editor)
    assert client.post("/admin/alerts/wechat/menu/push/").status_code in (302, 403)
    assert account.menu is None
    client.force_login(moderator)
    page = client.post("/admin/alerts/wechat/menu/push/", follow=True).content.decode()
    assert "菜单已推送到微信" in page
    assert account.menu == {
        "button": [
            {"type": "view", "name": "停热通知", "url": "https://heat.example.cn/n/"},
            {
                "name": "服务",
                "sub_button": [
                    {"type": "view", "name": "在线报停", "url": "https://heat.example.cn/s/"},
                    {"type": "click", "name": "我的小区", "key": "MY_COMMUNITY"},
                ],
            },
        ]
    }
    assert WeChatMenuSettings.for_site(Site.objects.get(is_default_site=True)).push_result == "成功"


def test_a_menu_button_name_too_long_for_wechat_is_refused_in_chinese():
    block = MenuButtonBlock()
    value = block.to_python(
        {"name": "停热停水停气通知", "action": "my_community", "sub_buttons": []}
    )
    with pytest.raises(ValidationError) as refused:
        block.clean(value)
    assert "名称太长：微信限16字节" in str(refused.value.block_errors["name"])
    missing = block.to_python({"name": "通知", "action": "page", "sub_buttons": []})
    with pytest.raises(ValidationError) as refused:
        block.clean(missing)
    assert "请选择要打开的页面" in str(refused.value.block_errors["page"])


def test_moderators_edit_the_menu_in_the_site_settings(client, moderator):
    client.force_login(moderator)
    site = Site.objects.get(is_default_site=True)
    page = client.get(f"/admin/settings/alerts/wechatmenusettings/{site.pk}/")
    assert page.status_code == 200
    assert "最多3个按钮" in page.content.decode()
