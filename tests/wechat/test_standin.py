"""The WeChat API stand-in spoken to over raw HTTP, as the real API would be: the stable-token
API's modes, token checks, and the script that serves it for demos."""

import signal
import subprocess
import sys

import pytest
import requests

from standins.wechat_api import WeChatApiStandin
from tests.support import ROOT

APP_ID, SECRET = "wx-standin", "standin-secret"


@pytest.fixture
def standin():
    with WeChatApiStandin(APP_ID, SECRET) as server:
        yield server


def stable_token(standin, force=False, **overrides) -> dict:
    body = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}
    body.update(force_refresh=force, **overrides)
    return requests.post(f"{standin.api_base}/cgi-bin/stable_token", json=body, timeout=5).json()


def template(standin, token: str | None) -> dict:
    body = {"touser": "oX", "template_id": "t", "data": {"thing1": {"value": "v"}}}
    params = {"access_token": token} if token is not None else {}
    return requests.post(
        f"{standin.api_base}/cgi-bin/message/template/send", params=params, json=body, timeout=5
    ).json()


def test_normal_mode_hands_every_caller_the_same_token(standin):
    first, second = stable_token(standin), stable_token(standin)
    assert first["access_token"] == second["access_token"]
    assert 7190 <= second["expires_in"] <= 7200


def test_a_forced_refresh_replaces_the_token_and_invalidates_the_old(standin):
    old = stable_token(standin)["access_token"]
    new = stable_token(standin, force=True)["access_token"]
    assert new != old
    assert template(standin, old)["errcode"] == 40001
    assert template(standin, new)["errcode"] == 0


@pytest.mark.parametrize(("token", "errcode"), [(None, 41001), ("made-up", 40001)])
def test_calls_without_a_valid_token_are_refused(standin, token, errcode):
    assert template(standin, token)["errcode"] == errcode
    assert standin.message_count == 0


@pytest.mark.parametrize(
    ("overrides", "errcode"),
    [({"secret": "wrong"}, 40125), ({"appid": "wx-other"}, 40013), ({"grant_type": "x"}, 40002)],
)
def test_bad_credentials_get_no_token(standin, overrides, errcode):
    answer = stable_token(standin, **overrides)
    assert answer["errcode"] == errcode and "access_token" not in answer


def test_the_script_serves_until_interrupted():
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "standins" / "wechat_api.py"),
            "--port",
            "0",
            "--app-id",
            APP_ID,
            "--secret",
            SECRET,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        api_base = process.stdout.readline().strip()
        body = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}
        answer = requests.post(f"{api_base}/cgi-bin/stable_token", json=body, timeout=5).json()
        assert answer["access_token"]
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
    assert "stable_token 1" in output
