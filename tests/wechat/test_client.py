"""The WeChat API client against the local stand-in: one token for many calls and processes,
renewed ahead of expiry by one process, renewed once (not in a loop) when refused, every
failure classified, timeouts on every call, nothing personal or secret logged."""

import logging
import threading

import pytest
from django.core.cache import cache

from standins.wechat_api import WeChatApiStandin
from wechat import (
    NotFollowingError,
    PermanentWeChatError,
    TransientWeChatError,
    is_configured,
    mask_openid,
)
from wechat.client import LOCK_TIMEOUT, WeChatClient

APP_ID, SECRET = "wx5tand1n0000app", "standin-app-secret"
OPENID = "oR2Kz5fOllowerOpenid0000001"
TEMPLATE = "outage-template-id"


@pytest.fixture
def standin():
    with WeChatApiStandin(APP_ID, SECRET, timeout_delay=1.0) as server:
        yield server


def make_client(standin, **options) -> WeChatClient:
    options = {"app_id": APP_ID, "app_secret": SECRET, "timeout": (1, 2), **options}
    return WeChatClient(api_base=standin.api_base, **options)


@pytest.fixture
def client(standin):
    return make_client(standin)


def send(client, openid=OPENID, **kwargs) -> int:
    data = {"thing1": "停热", "thing2": "星宇小区", "time3": "12月5日 10:00"}
    return client.send_template(openid, TEMPLATE, data, "https://heat.example.cn/n/1/", **kwargs)


def test_one_token_serves_many_calls_and_every_process(standin, client):
    msgids = [send(client, openid=f"{OPENID}{n}") for n in range(5)]
    assert len(set(msgids)) == 5
    assert send(make_client(standin)) > 0  # another process: the token comes from the cache
    assert standin.calls["stable_token"] == 1 and standin.calls["template"] == 6
    (record,) = standin.sent_to(f"{OPENID}0")
    assert record.template_id == TEMPLATE and record.url == "https://heat.example.cn/n/1/"
    assert record.data == {"thing1": "停热", "thing2": "星宇小区", "time3": "12月5日 10:00"}


def test_concurrent_first_calls_fetch_the_token_once(standin):
    clients = [make_client(standin) for _ in range(6)]
    errors = []

    def work(client):
        try:
            send(client)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert standin.calls["stable_token"] == 1 and standin.message_count == 6


def test_the_token_is_renewed_ahead_of_expiry_by_one_process(standin, client, clock):
    clock("2026-12-05 10:00")
    send(client)
    first = standin.current_token
    clock.shift(7200 - 400)  # more than five minutes left: still the same
    send(client)
    assert standin.calls["stable_token"] == 1
    clock.shift(150)  # 250 s left: the next one is fetched, in normal mode
    send(client)
    assert standin.calls["stable_token"] == 2 and standin.calls["stable_token_forced"] == 0
    assert standin.current_token != first
    send(make_client(standin))
    assert standin.calls["stable_token"] == 2


def test_while_another_process_renews_the_current_token_is_used(standin, client, clock):
    clock("2026-12-05 10:00")
    send(client)
    clock.shift(7200 - 200)
    cache.add(f"wechat:access-token-lock:{APP_ID}", "another process", timeout=LOCK_TIMEOUT)
    send(client)
    assert standin.calls["stable_token"] == 1 and standin.calls["template"] == 2


def test_an_expired_token_is_renewed_once_without_forcing(standin, client):
    send(client)
    standin.expire_tokens()
    send(client)
    assert standin.calls["stable_token"] == 2 and standin.calls["stable_token_forced"] == 0
    assert standin.calls["template"] == 3  # the refused call, and its repetition
    assert standin.message_count == 2


def test_an_invalid_token_is_forced_out_when_normal_mode_hands_it_back(standin, client):
    send(client)
    standin.invalidate_tokens()
    send(client)
    assert standin.calls["stable_token_forced"] == 1
    assert standin.message_count == 2
    send(make_client(standin))  # the forced token reached the cache
    assert standin.calls["stable_token"] == 3


def test_a_token_refused_twice_is_not_renewed_in_a_loop(standin, client):
    send(client)
    standin.fail_next(3, 40001)
    with pytest.raises(TransientWeChatError) as failure:
        send(client)
    assert failure.value.errcode == 40001
    assert standin.calls["template"] == 3  # the first send, one call and its one repetition
    assert standin.calls["stable_token_forced"] == 1


def test_a_token_renewed_by_another_process_is_taken_from_the_cache(standin, client):
    send(client)
    standin.invalidate_tokens()
    other = make_client(standin)
    send(other)  # renews (forced) and shares it
    send(client)  # refused with the old token in hand, finds the new one in the cache
    assert standin.calls["stable_token_forced"] == 1 and standin.message_count == 3


@pytest.mark.parametrize(
    ("fault", "kind", "errcode"),
    [
        (45009, TransientWeChatError, 45009),
        (-1, TransientWeChatError, -1),
        ("5xx", TransientWeChatError, 0),
        (40037, PermanentWeChatError, 40037),
        (48001, PermanentWeChatError, 48001),
    ],
)
def test_failures_are_classified(standin, client, fault, kind, errcode):
    standin.fail_next(1, fault)
    with pytest.raises(kind) as failure:
        send(client)
    assert failure.value.errcode == errcode
    assert type(failure.value) is kind
    assert getattr(failure.value, "maybe_accepted", False) is False
    send(client)  # the fault was one call's


def test_a_follower_who_left_is_not_following(standin, client):
    standin.fail_openid(OPENID, 43004)
    with pytest.raises(NotFollowingError, match="未关注") as failure:
        send(client)
    assert failure.value.errcode == 43004
    assert OPENID not in str(failure.value)


@pytest.mark.parametrize(
    ("options", "errcode"),
    [({"app_secret": "wrong"}, 40125), ({"app_id": "wx-unknown"}, 40013)],
)
def test_bad_credentials_are_permanent(standin, options, errcode):
    with pytest.raises(PermanentWeChatError) as failure:
        send(make_client(standin, **options))
    assert failure.value.errcode == errcode
    assert standin.calls["template"] == 0


def test_an_ip_outside_the_whitelist_is_permanent(standin, client):
    standin.fail_next(1, 40164, endpoint="stable_token")
    with pytest.raises(PermanentWeChatError, match="白名单"):
        send(client)


def test_a_read_timeout_may_have_been_accepted(standin):
    client = make_client(standin, timeout=(1, 0.3))
    standin.timeout_after_accept = True
    standin.fail_next(1, "timeout")
    with pytest.raises(TransientWeChatError) as failure:
        send(client)
    assert failure.value.maybe_accepted is True
    assert len(standin.sent_to(OPENID)) == 1  # it was, this time


def test_a_refused_connection_was_not_accepted(standin):
    client = make_client(standin)
    standin.stop()
    with pytest.raises(TransientWeChatError) as failure:
        send(client)
    assert failure.value.maybe_accepted is False


def test_a_repeated_client_msg_id_delivers_once(standin, client):
    first = send(client, client_msg_id="n42-e1")
    assert send(client, client_msg_id="n42-e1") == first
    assert send(client, client_msg_id="n42-e2") != first
    assert len(standin.sent_to(OPENID)) == 2


def test_the_menu_is_pushed(standin, client):
    menu = {
        "button": [
            {"type": "view", "name": "在线报停", "url": "https://heat.example.cn/service/"},
            {"type": "view", "name": "停热通知", "url": "https://heat.example.cn/notices/"},
            {"type": "click", "name": "我的小区", "key": "MY_COMMUNITY"},
        ]
    }
    client.create_menu(menu)
    assert standin.menu == menu
    with pytest.raises(PermanentWeChatError) as failure:
        client.create_menu({"button": [{"type": "view", "name": "坏链接", "url": "ftp://x"}]})
    assert failure.value.errcode == 40017
    with pytest.raises(ValueError):
        client.create_menu({"button": []})


def test_a_scene_qr_code_is_created(standin, client):
    assert client.create_scene_qr("C0042") == standin.qr_url("C0042")
    with pytest.raises(ValueError):
        client.create_scene_qr("x" * 65)


def test_nothing_personal_or_secret_is_logged(standin, client, caplog):
    with caplog.at_level(logging.DEBUG, logger="wechat"):
        send(client)
        standin.fail_openid(OPENID, 43004)
        with pytest.raises(NotFollowingError):
            send(client)
    text = caplog.text
    assert mask_openid(OPENID) in text
    for secret in (OPENID, SECRET, standin.current_token):
        assert secret not in text


def test_mask_openid():
    assert mask_openid("oR2Kz5fOllowerOpenid0000001") == "oR2K****0001"
    assert mask_openid("short") == "*****"


def test_the_channel_is_on_only_with_app_id_secret_and_token(settings):
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, settings.WECHAT_TOKEN = "wx", "s", "t"
    settings.WECHAT_ENCODING_AES_KEY = ""
    assert is_configured()
    settings.WECHAT_TOKEN = ""
    assert not is_configured()
