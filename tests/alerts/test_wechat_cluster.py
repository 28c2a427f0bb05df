"""The 公众号 fan-out with the real thing: django-q2 clusters as separate processes, the WeChat
client, the local stand-in of WeChat's API (which, like WeChat, drops a second template message
with the same client_msg_id to the same follower within ten minutes). The first cluster is
killed (SIGKILL, the whole process group) while calls are in flight; a second one finishes.
Every follower must end up with exactly one message."""

import time

import pytest

from standins.aliyun_sms import AliyunSmsStandin
from standins.wechat_api import WeChatApiStandin
from tests.e2e.clusters import (
    KEY_ID,
    SECRET,
    cluster_env,
    database_url,
    kill_cluster,
    run,
    start_cluster,
    stop_cluster,
    wait_for,
)

pytestmark = pytest.mark.clock

FOLLOWERS = 40
APP_ID, APP_SECRET, TEMPLATE = "wx-e2e", "e2e-app-secret", "e2e-outage-template"


@pytest.fixture
def wechat():
    # 0.25 s a call, 2 at once: about 5 s for everyone, time to kill the cluster in between.
    with WeChatApiStandin(APP_ID, APP_SECRET, latency=0.25, template_ids={TEMPLATE}) as server:
        yield server


@pytest.fixture
def environment(db, tmp_path, wechat):
    with AliyunSmsStandin(KEY_ID, SECRET) as sms:
        env = cluster_env(
            database_url(tmp_path),
            sms,
            WECHAT_APP_ID=APP_ID,
            WECHAT_APP_SECRET=APP_SECRET,
            WECHAT_TOKEN="e2e-token",
            WECHAT_API_BASE=wechat.api_base,
            WECHAT_TEMPLATE_ID=TEMPLATE,
            WECHAT_SEND_CONCURRENCY="2",
        )
        yield env
        run(env, "cleanup")


def test_cluster_killed_with_calls_in_flight_reaches_each_follower_exactly_once(
    environment, wechat
):
    openids = run(environment, "followers", str(FOLLOWERS))["openids"]
    run(environment, "setup", "0")
    assert wechat.message_count == 0  # queued, not sent: no cluster is running yet

    first = start_cluster(environment)
    try:
        assert wait_for(lambda: wechat.calls["template"] >= 5, timeout=60), (
            "the first cluster never sent"
        )
    finally:
        kill_cluster(first)  # two calls are in flight, or just answered and not recorded
    reached_before_crash = wechat.message_count
    assert 0 < reached_before_crash < FOLLOWERS, "the crash must fall in the fan-out"

    second = start_cluster(environment)
    try:
        assert wait_for(
            lambda: all(wechat.sent_to(openid) for openid in openids), timeout=90, interval=0.5
        ), f"only {wechat.message_count} of {FOLLOWERS} followers were reached"
        time.sleep(2)  # anything still running that would send twice gets its chance
    finally:
        stop_cluster(second)

    assert {openid: len(wechat.sent_to(openid)) for openid in openids} == dict.fromkeys(openids, 1)
