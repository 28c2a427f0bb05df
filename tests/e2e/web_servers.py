"""gunicorn with deploy/gunicorn.conf.py in its own process, for the tests that need the real
web server: tests/config/test_faults.py (production settings under faults) and
tests/config/test_web_server.py (its headers, logs and slow clients, alone and behind nginx)."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.e2e.clusters import wait_for

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FailedResponse:
    """What `Gunicorn.get` gives for a request that got no answer: the error's name as status."""

    def __init__(self, error: str):
        self.status_code = error
        self.text = ""


class Gunicorn:
    """gunicorn on a free port of 127.0.0.1, started with `env`; its output in `log`.
    `headers` go with every `get` (say, those of the TLS proxy production expects)."""

    def __init__(
        self,
        env: dict,
        log: Path,
        *,
        workers: int = 2,
        threads: int | None = None,
        headers: dict | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.headers = headers or {}
        if threads is not None:
            env = {**env, "GUNICORN_THREADS": str(threads)}
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    *(
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        str(ROOT / "deploy/gunicorn.conf.py"),
                    ),
                    *("--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)),
                ],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # The first worker may answer before the master has forked the last (gunicorn waits
        # up to 0.1 s between forks): a test comparing worker pids must start from them all.
        if not wait_for(
            lambda: self.get("/").status_code == 200 and len(self.worker_pids()) == workers,
            timeout=90,
            interval=0.5,
        ):
            self.stop()
            pytest.fail(f"gunicorn did not start:\n{self.log_text()[-3000:]}")

    def get(self, path: str, timeout: float = 10):
        try:
            return requests.get(self.url + path, headers=self.headers, timeout=timeout)
        except requests.RequestException as error:
            return FailedResponse(type(error).__name__)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
