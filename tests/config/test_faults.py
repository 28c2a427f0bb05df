"""Fault tests (marker `fault`): the production processes — gunicorn with
config.settings.production, django-q2 clusters on the Redis broker, the Aliyun stand-in — on a
copy of the PostgreSQL test database, while PostgreSQL restarts, Redis stops, and a cluster is
killed in the middle of an SMS fan-out; and, on any database, a cluster killed right after
handing a batch to each SMS backend, before it could record that.

Each test starts a Redis of its own (redis-server on a free port), so stopping it disturbs
nothing else; PostgreSQL is the machine's own, restarted with pg_ctlcluster, which drops every
connection to it, other processes' included: run these alone, `pytest -m fault`, as CI does.
The test process holds no connection while PostgreSQL restarts (its work happens in the
copy, through the processes it starts), so the test database and the rest of the session are
untouched.

Without PostgreSQL on this machine, pg_ctlcluster as root, or redis-server, the first three are
skipped with the reason; with REQUIRE_FAULT_TESTS=1 (CI) that is a failure instead. The
hand-over tests need none of these: they run on the suite's database (a copy) with the database
broker, or, on a PostgreSQL + Redis run, with a Redis server of their own."""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.db import connection

from sms.backends.journal import number_key
from sms.base import mask_number
from standins.aliyun_sms import AliyunSmsStandin
from tests.e2e.clusters import (
    KEY_ID,
    SECRET,
    cluster_env,
    kill_cluster,
    run,
    start_cluster,
    stop_cluster,
    wait_for,
    wait_while_progressing,
)
from tests.e2e.web_servers import Gunicorn, free_port
from tests.support import ROOT, DatabaseCopy

# What a resident reads, through the TLS proxy's headers (production redirects plain HTTP).
PROXY_HEADERS = {"Host": "localhost", "X-Forwarded-Proto": "https"}
PAGES = [
    "/",
    "/notices/",
    "/feeds/major.rss",
    "/directory/LY-0001/",
    "/search/?q=%E6%98%9F%E5%AE%87",  # 星宇
]


def missing_prerequisite() -> str | None:
    settings = connection.settings_dict
    if not settings["ENGINE"].endswith("postgresql"):
        return "the fault tests need PostgreSQL: run them with DATABASE_URL=postgres://… (CI does)"
    if (settings["HOST"] or "localhost") not in ("127.0.0.1", "localhost", "::1"):
        return "the fault tests restart PostgreSQL: it must run on this machine"
    if not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
        return "the fault tests restart PostgreSQL with pg_ctlcluster, as root"
    if not shutil.which("redis-server"):
        return "the fault tests start their own redis-server: install Redis"
    return None


MISSING = missing_prerequisite()
if MISSING and os.environ.get("REQUIRE_FAULT_TESTS"):
    pytest.fail(MISSING, pytrace=False)
# django_db: the test database is set up for them (they copy it), and each runs in the usual
# transaction, which DatabaseCopy.create closes at once (Django then skips its rollback), so no
# session of ours is open on PostgreSQL when it restarts.
pytestmark = [pytest.mark.fault, pytest.mark.django_db]
# PostgreSQL of this machine restarted, a redis-server of the test's own.
production_services = pytest.mark.skipif(bool(MISSING), reason=MISSING or "")


@pytest.fixture
def database(tmp_path):
    """URL of a copy of the test database, dropped at the end."""
    copy = DatabaseCopy(tmp_path, suffix="fault")
    copy.create()
    try:
        yield copy.url
    finally:
        copy.drop()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """collectstatic once for the module, as a deploy does (hashed and compressed files)."""
    root = tmp_path_factory.mktemp("static")
    env = production_env("postgres://unused/db", "redis://unused", root.parent, root)
    subprocess.run(
        [sys.executable, str(ROOT / "site/manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=300,
    )
    return root


def production_env(database_url: str, redis_url: str, var_dir: Path, static_root: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "fault",
        "ALLOWED_HOSTS": "localhost",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(static_root),
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }


class RedisServer:
    """A redis-server of the test's own, without persistence: restarted, it comes back empty,
    as a Redis that crashed would, so whatever was queued in it is gone."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        assert wait_for(lambda: self._answers(client), timeout=10), "redis-server did not start"

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def has_cluster(self, count: int = 1) -> bool:
        """Whether `count` django-q2 clusters run on this broker (each saves its status)."""
        return len(redis.Redis(port=self.port).keys("django_q:*:cluster:*")) >= count

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Load(threading.Thread):
    """Readers requesting the pages in a loop: (start time, path, status or exception)."""

    def __init__(self, server: Gunicorn, paths: list[str]):
        super().__init__(daemon=True)
        self.server, self.paths = server, paths
        self.results: list[tuple[float, str, int | str]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            for path in self.paths:
                started = time.monotonic()
                self.results.append((started, path, self.server.get(path).status_code))

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


def pg_ctlcluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        timeout=120,
        capture_output=True,
    )


def postgresql_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


@production_services
def test_postgresql_restart_under_load_recovers_without_restarting_the_site(
    database, redis_server, static_root, tmp_path
):
    env = production_env(database, redis_server.url, tmp_path, static_root)
    env["PAGE_CACHE_TIMEOUT"] = "0"  # every request reads the database
    server = Gunicorn(env, tmp_path / "gunicorn.log", headers=PROXY_HEADERS)
    readers = [Load(server, PAGES), Load(server, PAGES)]
    try:
        workers = server.worker_pids()
        for reader in readers:
            reader.start()
        time.sleep(3)
        restart_began = time.monotonic()
        try:
            pg_ctlcluster("restart")
        finally:
            if not postgresql_ready():
                pg_ctlcluster("start")
        restart_ended = time.monotonic()
        time.sleep(8)
        workers_after = server.worker_pids()
    finally:
        for reader in readers:
            reader.stop()
        server.stop()

    results = sorted(result for reader in readers for result in reader.results)
    recovered = restart_ended + 5  # each worker notices its dropped connection on its next request
    failed = [(t - restart_began, status) for t, _, status in results if status != 200]
    print(
        f"\nPostgreSQL restart: {restart_ended - restart_began:.1f} s; {len(results)} requests, "
        f"{len(failed)} failed ({dict(Counter(status for _, status in failed))}), from "
        f"{min((s for s, _ in failed), default=0):.1f} s to {max((s for s, _ in failed), default=0):.1f} s "
        "after it began"
    )
    assert any(restart_began <= t <= restart_ended for t, _, _ in results), "no load during it"
    assert all(-1 <= seconds <= recovered - restart_began for seconds, _ in failed), failed
    after = [(path, status) for t, path, status in results if t > recovered]
    assert {path for path, _ in after} == set(PAGES)
    assert all(status == 200 for _, status in after), after
    assert workers_after == workers, "gunicorn's workers were replaced"
    # The access log has paths without their query strings (no phone number typed anywhere
    # can reach it).
    log = (tmp_path / "gunicorn.log").read_text()
    assert '"GET /search/ HTTP/1.1" 200' in log
    assert "?q=" not in log


@pytest.fixture
def standin():
    # 0.3 s per call: 8 calls of 5 numbers leave time to kill a cluster between them.
    with AliyunSmsStandin(KEY_ID, SECRET, latency=0.3) as server:
        yield server


def texted_once_each(standin, phones) -> dict:
    return {phone: len(standin.sent_to(phone)) for phone in phones}


@production_services
def test_redis_down_pages_still_served_publishing_works_and_sms_follow_when_it_returns(
    database, redis_server, static_root, standin, tmp_path
):
    """Redis is the cache and the broker. Without it the site serves every page from the
    database, an editor's major notice is still published (its SMS work waits in the database),
    and when Redis returns (empty: what it held is lost) the cluster that ran all along sends
    each subscriber exactly one text, through the minute schedule."""
    server = Gunicorn(
        production_env(database, redis_server.url, tmp_path, static_root),
        tmp_path / "gunicorn.log",
        headers=PROXY_HEADERS,
    )
    env = cluster_env(database, standin, REDIS_URL=redis_server.url, CACHE_KEY_PREFIX="fault")
    cluster_log = (tmp_path / "cluster.log").open("w")
    cluster = start_cluster(env, cluster_log)
    try:
        # A cluster that cannot reach Redis when it starts exits (systemd restarts it,
        # docs/deployment.md); this one is running before Redis goes.
        assert wait_for(redis_server.has_cluster, timeout=60), _tail(tmp_path / "cluster.log")
        for path in PAGES:  # cached, as in service
            assert server.get(path).status_code == 200, path
        redis_server.stop()

        assert {path: server.get(path).status_code for path in PAGES} == dict.fromkeys(PAGES, 200)
        started = time.monotonic()
        scenario = run(env, "setup", "12")
        published_in = time.monotonic() - started
        assert run(env, "status") == {"messages": 1, "deliveries": {}}  # waits in the database
        page = server.get(scenario["url"])
        assert page.status_code == 200 and scenario["title"] in page.text
        assert scenario["url"] in server.get("/feeds/major.rss").text
        time.sleep(3)
        assert standin.message_count == 0  # nothing can be queued, so nothing is sent

        redis_server.start()
        returned = time.monotonic()
        assert wait_for(
            lambda: all(standin.sent_to(phone) for phone in scenario["phones"]),
            timeout=150,
            interval=0.5,
        ), f"{standin.message_count} of 12 texted; cluster log:\n{_tail(tmp_path / 'cluster.log')}"
        texted_in = time.monotonic() - returned
        time.sleep(2)  # anything that would send twice gets its chance
        assert {path: server.get(path).status_code for path in PAGES} == dict.fromkeys(PAGES, 200)
    finally:
        stop_cluster(cluster)
        cluster_log.close()
        server.stop()
    print(
        f"\npublished with Redis down in {published_in:.1f} s (a new process, Django's start"
        f" included); all texted {texted_in:.0f} s after Redis returned"
    )
    phones = scenario["phones"]
    assert texted_once_each(standin, phones) == dict.fromkeys(phones, 1)
    assert standin.message_count == len(phones)


@pytest.fixture
def slow_standin():
    # 1 s per call: 12 calls of 5 numbers, shared by up to 4 workers, last long enough for both
    # clusters to be sending when one is killed.
    with AliyunSmsStandin(KEY_ID, SECRET, latency=1.0) as server:
        yield server


@production_services
def test_two_clusters_on_redis_one_killed_mid_fan_out_each_number_texted_once(
    database, redis_server, slow_standin, tmp_path
):
    """Two clusters share the Redis broker, as two worker machines do, and both work on the
    same fan-out: copies of its task come from the minute schedule, a redelivery, a staff
    retry. One is killed, workers and all, in the middle. The Redis broker has no
    acknowledgements, so the tasks its pusher had taken are gone: the other cluster's copies
    and the minute schedule finish the message, and the claims the dead one left are settled
    with the provider (sent or not) before anything is sent again."""
    standin = slow_standin
    env = cluster_env(database, standin, REDIS_URL=redis_server.url, CACHE_KEY_PREFIX="fault")
    subscribers = 60
    logs = [tmp_path / f"cluster-{name}.log" for name in ("a", "b")]
    outputs = [log.open("w") for log in logs]
    first, second = (start_cluster(env, output) for output in outputs)
    try:
        assert wait_for(lambda: redis_server.has_cluster(2), timeout=60), _tail(logs[0])
        phones = run(env, "setup", str(subscribers), "10")["phones"]  # and 10 more copies
        assert wait_for(
            lambda: all("processing sms-" in log.read_text() for log in logs), timeout=30
        ), "both clusters must take the fan-out's task"
        assert wait_for(lambda: standin.message_count >= 10, timeout=30), "nothing was sent"
        kill_cluster(first)
        sent_before_crash = standin.message_count
        assert 0 < sent_before_crash < subscribers, "the kill must fall mid-way"
        # The survivor finishes through its copies of the task (each cut at the 4 s task
        # timeout, against a stand-in that takes 1 s a call), and the minute schedule if the
        # dead cluster had taken the last ones: a stall of more than a schedule round is a
        # failure, however long a loaded machine takes otherwise.
        assert wait_while_progressing(
            lambda: all(standin.sent_to(phone) for phone in phones),
            lambda: standin.message_count,
            stall=100,
        ), f"only {standin.message_count} of {subscribers} texted:\n{_tail(logs[1], 12000)}"
        # Every claim settled, the dead cluster's included, so nothing can be sent any more:
        # what is due is queued as the minute schedule would, rather than waiting for it.
        assert wait_for(
            lambda: run(env, "due")["deliveries"] == {"sent": subscribers}, timeout=60, interval=1
        ), run(env, "status")
    finally:
        for cluster in (first, second):
            stop_cluster(cluster)
        for output in outputs:
            output.close()
    print(f"\n{sent_before_crash} of {subscribers} texted when the first cluster was killed")
    assert texted_once_each(standin, phones) == dict.fromkeys(phones, 1)
    assert standin.message_count == subscribers


def _tail(path: Path, size: int = 4000) -> str:
    return path.read_text(errors="replace")[-size:]


# A cluster killed right after handing a batch to the backend, before recording it (issue 15).

HANDOVER_SUBSCRIBERS = 15  # three calls of 5
KILL_AFTER = 2  # one batch recorded, one handed over but not recorded, one pending
CLAIM_TIMEOUT = 3  # config.settings.test with E2E_CLUSTER: SMS_CLAIM_TIMEOUT


@pytest.fixture
def broker(tmp_path):
    """The clusters' broker: the database's on a run without Redis; on a PostgreSQL + Redis
    run a redis-server of the test's own (the Redis broker loses the tasks a killed cluster had
    taken; the minute schedule's work is then done by `due`)."""
    if not os.environ.get("REDIS_URL"):
        yield {}
        return
    if not shutil.which("redis-server"):
        pytest.skip("a run with REDIS_URL starts a redis-server of its own: install Redis")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield {"REDIS_URL": server.url, "CACHE_KEY_PREFIX": "fault"}
    finally:
        server.stop()


class Delivered:
    """What each number received, read where each backend delivers: the Aliyun stand-in's
    record; the file backend's whole lines; what the console backend printed (masked numbers
    in the clusters' output) and its journal."""

    def __init__(self, backend: str, var_dir: Path, logs: list[Path], standin):
        self.backend, self.var_dir, self.logs, self.standin = backend, var_dir, logs, standin

    def counts(self, phones) -> dict[str, int]:
        if self.backend == "aliyun":
            return {phone: len(self.standin.sent_to(phone)) for phone in phones}
        if self.backend == "file":
            lines = _whole_json_lines(self.var_dir / "sms.jsonl")
            masked = Counter(number for line in lines for number in line["numbers"])
        else:
            lines = _whole_json_lines(self.var_dir / "sms-console.jsonl")
            masked = Counter(
                number
                for log in self.logs
                if log.exists()
                for text in log.read_text(errors="replace").splitlines()
                if text.startswith("[SMS ")
                for number in text.split("：", 1)[1].split(", ")
            )
        keys = Counter(key for line in lines for key in line["number_keys"])
        counts = {phone: keys[number_key(phone)] for phone in phones}
        shown = {phone: masked[mask_number(phone)] for phone in phones}
        assert shown == counts, "the output and the record the backend answers from differ"
        return counts

    def texted(self, phones) -> int:
        return sum(1 for count in self.counts(phones).values() if count)


def _whole_json_lines(path: Path) -> list[dict]:
    """The lines a backend finished writing (a line a killed writer cut short is no text)."""
    lines = []
    for text in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        try:
            lines.append(json.loads(text))
        except ValueError:
            continue
    return lines


@pytest.mark.parametrize("backend", ["file", "console", "aliyun"])
def test_a_cluster_killed_right_after_a_hand_over_texts_each_number_once(
    backend, database, broker, tmp_path
):
    """The cluster dies (SIGKILL, workers and all) the instant the backend has accepted the
    second batch, before the dispatcher records it. A new cluster's recovery asks the backend,
    which answers from its own record, and sends only the batch never handed over: every
    number texted once, and the report counts each hand-over once."""
    var_dir = tmp_path / "var"
    logs = [tmp_path / "cluster-killed.log", tmp_path / "cluster-new.log"]
    with AliyunSmsStandin(KEY_ID, SECRET) as standin:
        env = cluster_env(database, standin, **broker, SMS_BACKEND=backend, VAR_DIR=str(var_dir))
        delivered = Delivered(backend, var_dir, logs, standin)
        phones = run(env, "setup", str(HANDOVER_SUBSCRIBERS))["phones"]
        started = time.monotonic()
        with logs[0].open("w") as output:
            first = start_cluster({**env, "E2E_KILL_AFTER_HANDOVER": str(KILL_AFTER)}, output)
            try:
                first.wait(timeout=90)
            except subprocess.TimeoutExpired:
                kill_cluster(first)
                pytest.fail(f"the cluster was not killed after a hand-over:\n{_tail(logs[0])}")
        killed = time.monotonic()
        assert first.returncode == -signal.SIGKILL, _tail(logs[0])
        assert delivered.texted(phones) == 2 * HANDOVER_SUBSCRIBERS // 3
        assert run(env, "status")["deliveries"] == {"sent": 5, "sending": 5, "pending": 5}

        with logs[1].open("w") as output:
            second = start_cluster(env, output)
            try:
                # Its claim is a dead worker's once SMS_CLAIM_TIMEOUT has passed; then what is
                # due is queued, as the minute schedule would (on the database broker the
                # killed cluster's task comes back too).
                time.sleep(max(0.0, killed + CLAIM_TIMEOUT + 0.5 - time.monotonic()))
                run(env, "due")
                assert wait_while_progressing(
                    lambda: delivered.texted(phones) == HANDOVER_SUBSCRIBERS,
                    lambda: delivered.texted(phones),
                    stall=60,
                ), f"{run(env, 'status')}\n{_tail(logs[1])}"
                assert wait_for(
                    lambda: run(env, "status")["deliveries"] == {"sent": HANDOVER_SUBSCRIBERS},
                    timeout=30,
                    interval=0.5,
                ), run(env, "status")
            finally:
                stop_cluster(second)
        report = run(env, "report")
    print(
        f"\n{backend}: killed {killed - started:.1f} s after the cluster started, all settled "
        f"{time.monotonic() - killed:.1f} s after the kill"
    )
    assert delivered.counts(phones) == dict.fromkeys(phones, 1)
    assert report == {
        **{"sent": 15, "pending": 0, "sending": 0, "failed": 0, "gave_up": 0, "unconfirmed": 0},
        **{"recipients": 15, "handovers": 15, "accepted": 15},
        **{"duplicates": 0, "possible_duplicates": 0},
    }
