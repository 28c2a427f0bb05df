"""`/wechat/` as WeChat's servers call it: signed, in plaintext, 兼容模式 and 安全模式. Followers
bind by sending a community's name and get their answer in the same request; anything unsigned,
stale, replayed, oversized or carrying a DTD changes nothing."""

import logging
import re
import time

import pytest
from django.test import override_settings

from alerts.models import FollowerBinding, WeChatFollower
from standins.wechat_callback import WeChatCallbackClient

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
TOKEN, APP_ID = "callback-token", "wx-callback-test"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OPENID = "oCallbackFollower000000000001"
ACCOUNT = {
    "WECHAT_APP_ID": APP_ID,
    "WECHAT_APP_SECRET": "secret",
    "WECHAT_TOKEN": TOKEN,
    "WECHAT_ENCODING_AES_KEY": AES_KEY,
}


@pytest.fixture
def wechat():
    with override_settings(**ACCOUNT):
        yield WeChatCallbackClient(TOKEN, APP_ID, AES_KEY)


def post(client, request):
    return client.post(request.path(), request.body, content_type="text/xml")


def test_the_server_check_answers_echostr_only_when_signed(client, wechat):
    check = wechat.verification("1234567890123")
    assert client.get(check.path()).content == b"1234567890123"
    forged = {**check.query, "signature": "0" * 40}
    assert client.get("/wechat/", forged).status_code == 403


def test_the_endpoint_does_not_exist_while_the_account_is_not_configured(client):
    assert client.get("/wechat/").status_code == 404


@pytest.mark.parametrize("mode", ["plaintext", "compatible", "safe"])
def test_a_follower_binds_by_name_and_is_answered_in_every_mode(client, wechat, mode):
    response = post(client, wechat.text(OPENID, "星宇小区", mode=mode))
    assert response.status_code == 200
    reply = wechat.open_reply(response.content)
    assert f"<ToUserName><![CDATA[{OPENID}]]></ToUserName>" in reply
    assert "已绑定星宇小区" in reply
    assert FollowerBinding.objects.filter(
        follower__openid=OPENID, community__code="LY-0001"
    ).exists()
    if mode == "safe":
        assert "已绑定" not in response.content.decode()  # sealed on the wire


def test_wechats_retry_of_a_message_changes_nothing_and_gets_no_reply(client, wechat):
    first = post(client, wechat.text(OPENID, "LY-0001", msg_id=777))
    assert "已绑定星宇小区" in wechat.open_reply(first.content)
    post(client, wechat.text(OPENID, "解绑"))
    # WeChat had no answer in time and sends message 777 again, newly signed.
    retry = post(client, wechat.text(OPENID, "LY-0001", msg_id=777))
    assert retry.content == b"success"
    assert not FollowerBinding.objects.exists()  # the unbinding stands


def test_a_replayed_request_is_answered_success_and_changes_nothing(client, wechat):
    request = wechat.text(OPENID, "LY-0001")
    post(client, request)
    post(client, wechat.text(OPENID, "解绑"))
    assert post(client, request).content == b"success"
    assert not FollowerBinding.objects.exists()


def test_stale_forged_oversized_and_dtd_requests_are_refused(client, wechat):
    stale = wechat.text(OPENID, "LY-0001", timestamp=int(time.time()) - 600)
    assert post(client, stale).status_code == 400
    forged = wechat.text(OPENID, "LY-0001")
    forged_query = {**forged.query, "signature": "f" * 40}
    assert (
        client.post(
            "/wechat/",
            forged.body,
            content_type="text/xml",
            QUERY_STRING="&".join(f"{k}={v}" for k, v in forged_query.items()),
        ).status_code
        == 403
    )
    big = wechat.text(OPENID, "星" * 30_000)
    assert post(client, big).status_code == 400
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<xml><FromUserName>{OPENID}</FromUserName><MsgType>text</MsgType>"
        "<Content>&b;</Content></xml>"
    )
    assert post(client, wechat.request(laughs, OPENID)).status_code == 400
    tampered = wechat.text(OPENID, "LY-0001", mode="safe")
    tampered_query = {**tampered.query, "msg_signature": "0" * 40}
    path = "/wechat/?" + "&".join(f"{k}={v}" for k, v in tampered_query.items())
    assert client.post(path, tampered.body, content_type="text/xml").status_code == 400
    assert not WeChatFollower.objects.exists()


def test_unfollowing_removes_the_bindings_and_no_openid_is_logged(client, wechat, caplog):
    caplog.set_level(logging.DEBUG)
    post(client, wechat.event(OPENID, "subscribe", "qrscene_LY-0002"))
    assert FollowerBinding.objects.filter(community__code="LY-0002").exists()
    assert post(client, wechat.event(OPENID, "unsubscribe")).content == b"success"
    assert not FollowerBinding.objects.exists()
    assert not WeChatFollower.objects.get(openid=OPENID).following
    assert OPENID not in caplog.text
    assert not re.search(r"oCallbackFollower\d{4}", caplog.text)
