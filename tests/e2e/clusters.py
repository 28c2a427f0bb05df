"""Real django-q2 clusters in their own processes, for tests/alerts/test_cluster_fan_out.py,
tests/servicedesk/test_servicedesk_cluster.py and tests/config/test_faults.py: the scenario scripts
(cluster_scenario.py, servicedesk_scenario.py) and starting, stopping and waiting on clusters."""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The Aliyun stand-in's credentials, shared by the tests' clusters and stand-ins.
KEY_ID, SECRET = "e2e-key", "e2e-secret"


def database_url(tmp_path) -> str:
    """The database the clusters use. A test holds the test database in a transaction (as
    every pytest-django test does); SQLite would lock the clusters out of it, so they get a copy
    of its committed content. PostgreSQL lets them share it: the test itself writes nothing,
    and its scenario's `cleanup` removes what its `setup` made."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        copy = tmp_path / "e2e.sqlite3"
        with sqlite3.connect(settings["NAME"]) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        return f"sqlite:///{copy}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def cluster_env(database_url: str, standin, **overrides) -> dict:
    """A cluster with short timeouts (E2E_CLUSTER) sending through the Aliyun backend to the
    stand-in, in batches of 5, on `database_url`; `overrides` add to it (e.g. REDIS_URL)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "E2E_CLUSTER": "1",
        "SMS_BACKEND": "aliyun",
        "ALIYUN_ACCESS_KEY_ID": KEY_ID,
        "ALIYUN_ACCESS_KEY_SECRET": SECRET,
        "ALIYUN_SMS_ENDPOINT": standin.endpoint,
        "SMS_MAX_BATCH": "5",
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
        **overrides,
    }


def run(env, *args, script: str = "cluster_scenario.py") -> dict:
    """The scenario script (in tests/e2e/) with these arguments, in its own process; its JSON
    answer."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests/e2e" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode:
        raise AssertionError(f"{script} {' '.join(args)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_cluster(env, log=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "site/manage.py"), "qcluster"],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own process group: killed with all its workers
    )


def kill_cluster(cluster: subprocess.Popen) -> None:
    """SIGKILL to the whole process group: a machine losing power, workers and all."""
    os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait(timeout=10)


def stop_cluster(cluster: subprocess.Popen) -> None:
    """Ask nicely, as a deploy would (systemd's KillMode=mixed, docs/deployment.md): SIGTERM
    to the cluster's main process, which stops taking tasks and waits for its workers; what is
    left once it has exited, or after 15 s, is killed. (SIGTERM to the whole group would kill
    the sentinel outright and leave the main process waiting for it forever.)"""
    if cluster.poll() is None:
        cluster.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            cluster.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        kill_cluster(cluster)


def wait_while_progressing(done, progress, stall: float, interval: float = 0.5) -> bool:
    """Wait until `done()` for as long as `progress()` keeps changing; False once it has not
    changed for `stall` seconds. A loaded machine gets the time it needs, and a stuck run fails
    after one stall instead of a guessed total."""
    last, since = progress(), time.monotonic()
    while not done():
        current = progress()
        if current != last:
            last, since = current, time.monotonic()
        elif time.monotonic() - since > stall:
            return False
        time.sleep(interval)
    return True


def wait_for(condition, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
