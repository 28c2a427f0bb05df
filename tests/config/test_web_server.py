"""The web server as deployed: gunicorn with deploy/gunicorn.conf.py, alone and behind nginx
with deploy/nginx/heating.conf, serving a copy of the test database.

What they prove: no `Server: gunicorn`; no log line forged from a path and no query string in
any log (access lines, gunicorn's "Invalid request" warnings); connections that send nothing
do not stop the site, with gunicorn alone (it answers within seconds, not after its worker
timeout) and behind nginx (which holds slow and idle clients itself and hands gunicorn only
whole requests). nginx comes from Debian's package (scripts/system-packages); without it the
nginx tests fail, saying what to install."""

import os
import pwd
import re
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.e2e.clusters import database_url, wait_for
from tests.e2e.web_servers import Gunicorn, free_port
from tests.support import ROOT

# The test database must be set up (the servers run on a copy of it), which pytest-django does
# only for a run with database tests in it.
pytestmark = pytest.mark.django_db

PHONE = "13800000505"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def raw_request(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        return received


@pytest.fixture(scope="module")
def site_env(django_db_setup, django_db_blocker, tmp_path_factory):
    """The servers read the test database's committed content: a copy on SQLite, the database
    itself on PostgreSQL (they only read; a template copy would need it free of every other
    session, which in the middle of the suite it is not)."""
    workdir = tmp_path_factory.mktemp("web-server")
    with django_db_blocker.unblock():
        url = database_url(workdir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "VAR_DIR": str(workdir),
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }
    return env, workdir


@pytest.fixture(scope="module")
def gunicorn(site_env):
    env, workdir = site_env
    server = Gunicorn(env, workdir / "gunicorn.log", workers=2, threads=4)
    yield server
    server.stop()


def test_gunicorn_sends_no_server_header(gunicorn):
    response = requests.get(gunicorn.url + "/", timeout=10)
    assert response.status_code == 200
    assert "Server" not in response.headers
    # gunicorn's own error responses (a request it cannot parse) neither
    answer = raw_request(gunicorn.port, b"GET /\x01 HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"\r\nserver:" not in answer.lower()


def test_a_path_cannot_forge_a_log_line_and_no_query_string_is_logged(gunicorn):
    forged = "2026-12-05 ERROR forged"
    path = f"/x%0d%0a{forged.replace(' ', '%20')}%00%e2%80%a8"
    raw_request(
        gunicorn.port,
        f"GET {path}?phone={PHONE} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode(),
    )
    # Requests gunicorn refuses: it logs "Invalid request" with what it read of the line.
    for line in (
        f"GET /search/?q={PHONE} HTTP/1.1 extra\r\n\r\n",
        f"GET /search/?q={PHONE} HTTP/9.x\r\n\r\n",
        f"G\x00T /search/?q={PHONE} HTTP/1.1\r\n\r\n",
    ):
        raw_request(gunicorn.port, line.encode())

    assert wait_for(lambda: "Invalid request" in gunicorn.log_text(), timeout=5)
    time.sleep(0.5)  # the last lines reach the file
    log = gunicorn.log_text()
    assert PHONE not in log
    assert not any(line.startswith(forged) for line in log.splitlines())
    assert re.search(r"/x\\r\\n2026-12-05 ERROR forged\\x00", log), log[-2000:]
    assert "\x00" not in log and "\u2028" not in log


def test_idle_connections_do_not_stop_gunicorn(gunicorn):
    """Eight connections that send nothing, as many as the threads of both workers: sync
    workers would each be held until the worker timeout (30 s, before 60 s) kills them. A
    gthread worker gives such a connection 5 s of a thread, then keeps it in its poller: the
    page comes within two rounds of that (the worst case, one worker taking all eight), and
    later pages at once."""
    idle = [socket.create_connection(("127.0.0.1", gunicorn.port)) for _ in range(8)]
    try:
        started = time.monotonic()
        response = requests.get(gunicorn.url + "/notices/", timeout=60)
        waited = time.monotonic() - started
        assert response.status_code == 200
        assert waited < 13, f"answered after {waited:.1f} s"
        # Once each idle connection has had its 5 s (two rounds at most), the idle ones hold
        # no thread: while they are still open, a page comes at once.
        time.sleep(max(0.0, 11 - waited))
        started = time.monotonic()
        assert requests.get(gunicorn.url + "/", timeout=30).status_code == 200
        assert time.monotonic() - started < 2
    finally:
        for connection in idle:
            connection.close()


def _connections_per_worker(server: Gunicorn) -> list[int]:
    """The established connections to `server` each of its workers holds, from /proc."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == server.port and fields[3] == "01":
            inodes.add(fields[9])
    held = []
    for pid in server.worker_pids():
        fds = Path(f"/proc/{pid}/fd")
        links = [os.readlink(fd) for fd in fds.iterdir() if fd.is_symlink()]
        held.append(sum(link[8:-1] in inodes for link in links if link.startswith("socket:[")))
    return sorted(held, reverse=True)


def test_a_worker_holds_a_bounded_share_of_keep_alive_connections(site_env):
    """A worker holds at most twice its threads' connections (GUNICORN_WORKER_CONNECTIONS):
    keep-alive connections arriving together, as a proxy's do, cannot all stay with the worker
    that woke first, where one process would serve them on one core. Six clients and two
    one-thread workers: without the cap, all six kept alive, one worker would hold three or
    more; with it, two each at most, and every request is answered (one over the cap waits for
    a place: gunicorn closes a connection that would leave more than its threads idle)."""
    env, workdir = site_env
    server = Gunicorn(env, workdir / "gunicorn-spread.log", workers=2, threads=1)
    sessions = [requests.Session() for _ in range(6)]
    try:
        with ThreadPoolExecutor(len(sessions)) as pool:
            for _ in range(2):
                answers = pool.map(
                    lambda client: client.get(server.url + "/", timeout=30), sessions
                )
                assert [response.status_code for response in answers] == [200] * 6
                assert max(_connections_per_worker(server)) <= 2
    finally:
        for session in sessions:
            session.close()
        server.stop()


# nginx in front (deploy/nginx/heating.conf and proxy.conf, used as they are)


@pytest.fixture(scope="module")
def nginx_binary() -> str:
    if not os.access(NGINX, os.X_OK):
        pytest.fail(
            "nginx not found: install the Debian package nginx-light (scripts/system-packages "
            "does, CI runs it)",
            pytrace=False,
        )
    return NGINX


class Nginx:
    """nginx running deploy/nginx/heating.conf in front of `upstream_port`, with only what a
    machine changes replaced: addresses, certificate and log paths (a self-signed
    certificate made for the test)."""

    def __init__(self, binary: str, workdir: Path, upstream_port: int):
        self.workdir = workdir
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        for part in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            (workdir / part).mkdir(exist_ok=True)
        certificate, key = workdir / "cert.pem", workdir / "key.pem"
        self.certificate = str(certificate)
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"),
                *("-keyout", str(key), "-out", str(certificate)),
            ],
            check=True,
            capture_output=True,
        )
        site = (ROOT / "deploy/nginx/heating.conf").read_text()
        for old, new in (
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen 443 ssl", f"listen 127.0.0.1:{self.https_port} ssl"),
            ("/etc/ssl/heating/fullchain.pem", str(certificate)),
            ("/etc/ssl/heating/privkey.pem", str(key)),
            ("/var/log/nginx/", f"{workdir}/logs/"),
            ("/srv/heating/deploy/nginx/", f"{ROOT}/deploy/nginx/"),
        ):
            assert old in site, f"heating.conf no longer has {old!r}"
            site = site.replace(old, new)
        site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
        (workdir / "heating.conf").write_text(site)
        user = pwd.getpwuid(os.getuid()).pw_name
        temp = "\n".join(
            f"    {part}_temp_path {workdir}/{directory};"
            for part, directory in (
                ("client_body", "body"),
                *((name, name) for name in ("proxy", "fastcgi", "uwsgi", "scgi")),
            )
        )
        self.config = workdir / "nginx.conf"
        self.config.write_text(
            f"{'user ' + user + ';' if os.getuid() == 0 else ''}\n"
            f"pid {workdir}/nginx.pid;\nerror_log {workdir}/logs/error.log;\n"
            "worker_processes 1;\nevents { worker_connections 1024; }\n"
            f"http {{\n{temp}\n    include {workdir}/heating.conf;\n}}\n"
        )
        check = subprocess.run(
            [binary, "-t", "-c", str(self.config)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [binary, "-c", str(self.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, timeout=15), "nginx did not start"

    def get(self, path: str, timeout: float = 15):
        return requests.get(self.url + path, timeout=timeout, verify=self.certificate)

    def _answers(self) -> bool:
        try:
            return self.get("/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def access_log(self) -> str:
        return (self.workdir / "logs/heating.access.log").read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def behind_nginx(nginx_binary, site_env, tmp_path_factory):
    """A gunicorn with one worker of two threads behind nginx: two held connections would
    stop it, if nginx let them through."""
    env, _ = site_env
    workdir = tmp_path_factory.mktemp("nginx")
    server = Gunicorn(env, workdir / "gunicorn.log", workers=1, threads=2)
    proxy = Nginx(nginx_binary, workdir, server.port)
    yield proxy, server
    proxy.stop()
    server.stop()


def tls_connection(port: int):
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context.wrap_socket(socket.create_connection(("127.0.0.1", port)))


def test_behind_nginx_slow_and_idle_clients_never_reach_gunicorn(behind_nginx):
    proxy, server = behind_nginx
    held = [socket.create_connection(("127.0.0.1", proxy.https_port)) for _ in range(10)]
    trickling = []
    for _ in range(10):  # a body announced, barely sent: nginx waits for it, gunicorn never
        connection = tls_connection(proxy.https_port)
        connection.sendall(
            b"POST /sms/subscribe/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\nph"
        )
        trickling.append(connection)
    try:
        started = time.monotonic()
        response = proxy.get("/notices/")
        assert response.status_code == 200
        assert time.monotonic() - started < 2
        assert "POST /sms/subscribe/" not in server.log_text()
    finally:
        for connection in held + trickling:
            connection.close()


def test_behind_nginx_limits_headers_and_logs(behind_nginx):
    proxy, server = behind_nginx
    response = proxy.get(f"/search/?q={PHONE}")
    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"  # no version, no gunicorn
    too_big = requests.post(
        proxy.url + "/sms/subscribe/",
        data=b"x" * (26 * 1024 * 1024),
        verify=proxy.certificate,
        timeout=30,
    )
    assert too_big.status_code == 413
    proxy.get("/x%0d%0aforged")
    log = proxy.access_log()
    assert "/search/" in log and PHONE not in log
    assert "\\x0D\\x0Aforged" in log
    assert PHONE not in server.log_text()
