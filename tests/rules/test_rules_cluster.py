"""Exactly once with the real parts: a content rule of its own and the seeded rule both send
one event on SMS, the rules are run on the event again from two processes at once while a real
django-q2 cluster sends through the Aliyun stand-in (SQLite here, PostgreSQL in CI). Each rule
fires once, one SMS message is written, and every subscriber is texted once."""

import subprocess
import sys
import time

import pytest

from standins.aliyun_sms import AliyunSmsStandin
from tests.e2e.clusters import (
    KEY_ID,
    SECRET,
    cluster_env,
    database_url,
    run,
    start_cluster,
    stop_cluster,
    wait_for,
)
from tests.support import ROOT

pytestmark = pytest.mark.clock
SCRIPT = "rules_scenario.py"
SUBSCRIBERS = 12


@pytest.fixture
def standin():
    with AliyunSmsStandin(KEY_ID, SECRET, latency=0.05) as server:
        yield server


@pytest.fixture
def environment(db, tmp_path, standin):
    env = cluster_env(database_url(tmp_path), standin)
    yield env
    run(env, "cleanup", script=SCRIPT)


def test_two_rules_and_replayed_events_text_each_subscriber_once(environment, standin):
    scenario = run(environment, "setup", str(SUBSCRIBERS), script=SCRIPT)
    assert scenario["firings"] == ["端到端测试：本小区短信", "重大停供：抢修停即时发送"]
    assert scenario["sms_messages"] == 1
    cluster = start_cluster(environment)
    try:
        replays = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "tests/e2e" / SCRIPT), "fire"],
                env=environment,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [replay.communicate(timeout=120)[0] for replay in replays]
        assert all(replay.returncode == 0 for replay in replays)
        assert all('"fired": 0' in output for output in outputs)
        phones = scenario["phones"]
        assert wait_for(
            lambda: all(standin.sent_to(phone) for phone in phones), timeout=90, interval=0.5
        ), f"only {standin.message_count} of {SUBSCRIBERS} numbers were texted"
        time.sleep(2)  # anything that would send twice gets its chance
    finally:
        stop_cluster(cluster)
    assert {phone: len(standin.sent_to(phone)) for phone in phones} == dict.fromkeys(phones, 1)
    status = run(environment, "status", script=SCRIPT)
    assert status == {"firings": scenario["firings"], "sms_messages": 1}
