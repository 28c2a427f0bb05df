"""Real django-q2 clusters in their own processes, for tests/test_qcluster_e2e.py and
tests/test_faults.py: the scenario script (cluster_scenario.py) and starting, stopping and
waiting on clusters."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The Aliyun stand-in's credentials, shared by the tests' clusters and stand-ins.
KEY_ID, SECRET = "e2e-key", "e2e-secret"


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


def run(env, *args) -> dict:
    """cluster_scenario.py with these arguments, in its own process; its JSON answer."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests/e2e/cluster_scenario.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode:
        raise AssertionError(f"cluster_scenario.py {' '.join(args)} failed:\n{result.stderr}")
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
    """Ask nicely, as a deploy would; a cluster still busy after 15 s is killed."""
    if cluster.poll() is not None:
        return
    os.killpg(cluster.pid, signal.SIGTERM)
    try:
        cluster.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill_cluster(cluster)


def wait_for(condition, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
