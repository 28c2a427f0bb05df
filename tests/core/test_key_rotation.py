"""Rotating SECRET_KEY loses nothing signed with the old one while it is a fallback
(SECRET_KEY_FALLBACKS): django-q2's queued tasks (core.task_signing) and texted codes; without
the fallback they are refused, as before the rotation support."""

import os

import pytest
from django.test import override_settings
from django_q import core_signing
from django_q.conf import Conf
from django_q.signing import PickleSerializer, SignedPackage

from sms.verification import VerificationFailed, check_code, issue_code
from tests.e2e.clusters import database_url, run, start_cluster, stop_cluster, wait_for
from tests.support import ROOT

OLD, NEW = "old-key-being-rotated-out", "new-key"
TASK = {"id": "rotation", "func": "math.factorial", "args": (5,)}


def signed_with(key: str, task: dict) -> str:
    return core_signing.dumps(task, key=key, salt=Conf.PREFIX, serializer=PickleSerializer)


def test_a_task_signed_with_a_fallback_key_is_read():
    package = signed_with(OLD, TASK)
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert SignedPackage.loads(package) == TASK
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(core_signing.BadSignature):
            SignedPackage.loads(package)
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=["another", OLD]):
        assert SignedPackage.loads(package) == TASK


def test_a_forged_task_is_still_refused():
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        with pytest.raises(core_signing.BadSignature):
            SignedPackage.loads(signed_with("attacker", TASK))


@pytest.mark.django_db
def test_a_code_texted_before_the_rotation_still_confirms(
    outbox, django_capture_on_commit_callbacks
):
    phone = "13800000123"
    with override_settings(SECRET_KEY=OLD), django_capture_on_commit_callbacks(execute=True):
        issue_code(phone, "subscribe", "测试")
    code = outbox[-1][1].params["code"]
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(VerificationFailed):
            check_code(phone, "subscribe", code)
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert check_code(phone, "subscribe", code)


@pytest.mark.django_db
def test_tasks_queued_before_a_key_change_run_on_a_cluster_with_the_new_key(tmp_path):
    """Tasks queued under the old key, a real cluster started with the new key and the old one
    as fallback: every task runs (before: each was dropped with a logged BadSignature)."""
    url = database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "E2E_CLUSTER": "1",
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }
    script = "rotation_scenario.py"
    run({**env, "SECRET_KEY": OLD}, "enqueue", "6", script=script)
    rotated = {**env, "SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": OLD}
    log = (tmp_path / "cluster.log").open("w")
    cluster = start_cluster(rotated, log=log)
    try:
        done = wait_for(
            lambda: run(rotated, "status", script=script)["succeeded"] == 6, timeout=60, interval=1
        )
        status = run(rotated, "status", script=script)
    finally:
        stop_cluster(cluster)
        log.close()
        run(rotated, "cleanup", script=script)
    assert done, (status, (tmp_path / "cluster.log").read_text()[-3000:])
    assert (status["succeeded"], status["failed"]) == (6, 0)
    assert "BadSignature" not in (tmp_path / "cluster.log").read_text()
