"""The real thing: django-q2 clusters as separate processes, the Aliyun backend, and the local
stand-in of Aliyun's API. A major notice is published; the first cluster is killed (SIGKILL,
the whole process group) in the middle of the fan-out; a second cluster finishes the job.
Every subscriber must end up with exactly one message."""

import time

import pytest

from standins.aliyun_sms import AliyunSmsStandin
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

SUBSCRIBERS = 40


@pytest.fixture
def environment(db, tmp_path, standin):
    url = database_url(tmp_path)
    env = cluster_env(url, standin)
    yield env
    run(env, "cleanup")


@pytest.fixture
def standin():
    # 0.3 s per call: 8 calls of 5 numbers leave time to kill the cluster between them.
    with AliyunSmsStandin(KEY_ID, SECRET, latency=0.3) as server:
        yield server


def test_cluster_killed_mid_fan_out_loses_nothing_and_sends_nothing_twice(environment, standin):
    scenario = run(environment, "setup", str(SUBSCRIBERS))
    phones = scenario["phones"]
    assert standin.message_count == 0  # queued, not sent: no cluster is running yet

    first = start_cluster(environment)
    try:
        assert wait_for(lambda: standin.calls["SendSms"] >= 2, timeout=60), (
            "the first cluster never sent"
        )
    finally:
        kill_cluster(first)
    sent_before_crash = standin.message_count
    assert 0 < sent_before_crash < SUBSCRIBERS, "the crash must fall in the middle of the fan-out"

    second = start_cluster(environment)
    try:
        assert wait_for(
            lambda: all(standin.sent_to(phone) for phone in phones), timeout=90, interval=0.5
        ), f"only {standin.message_count} of {SUBSCRIBERS} numbers were texted"
        time.sleep(2)  # anything still running that would send twice gets its chance
    finally:
        stop_cluster(second)

    assert {phone: len(standin.sent_to(phone)) for phone in phones} == dict.fromkeys(phones, 1)
    assert standin.message_count == SUBSCRIBERS
