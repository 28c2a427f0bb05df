"""A small web server on 127.0.0.1 for the link check to fetch from, in a thread (stdlib only).

Paths: /ok (200), /moved (301 to /ok), /temporary (302 to /ok), /gone (404), /broken (500),
/forbidden (403), /busy (429), /never (accepts, never answers), /head-refused (405 to HEAD,
200 to GET), /loop (301 to itself); `Web.answer(path, status)` sets what a path answers from then on;
?slow=<seconds> holds any answer that long. Every request
is recorded with its method, host, path and when it arrived and left, and the server counts how
many requests each host had in flight at once."""

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ANSWERS = {"/ok": 200, "/gone": 404, "/broken": 500, "/forbidden": 403, "/busy": 429}
REDIRECTS = {"/moved": (301, "/ok"), "/temporary": (302, "/ok"), "/loop": (301, "/loop")}


@dataclass
class Hit:
    method: str
    host: str
    path: str
    user_agent: str
    arrived: float
    left: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_HEAD(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def _answer(self):
        parts = urlsplit(self.path)
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        hit = Hit(
            self.command, host, parts.path, self.headers.get("User-Agent", ""), time.monotonic()
        )
        self.server.enter(hit)
        slow = float(parse_qs(parts.query).get("slow", ["0"])[0])
        if slow:
            time.sleep(slow)
        if parts.path == "/never":
            self.server.stopping.wait(5)
            self.server.leave(hit)
        elif parts.path == "/head-refused" and self.command == "HEAD":
            self._send(hit, 405)
        elif parts.path in REDIRECTS:
            status, location = REDIRECTS[parts.path]
            self._send(hit, status, {"Location": location})
        elif parts.path in self.server.answers:
            self._send(hit, self.server.answers[parts.path])
        else:
            self._send(hit, ANSWERS.get(parts.path, 200 if parts.path == "/head-refused" else 404))

    def _send(self, hit: Hit, status: int, headers: dict | None = None):
        # Out of flight before the answer leaves: the client cannot send its next request
        # before this one is counted as done.
        self.server.leave(hit)
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.hits: list[Hit] = []
        self.answers: dict[str, int] = {}
        self.most_in_flight: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    def enter(self, hit: Hit):
        with self._lock:
            self.hits.append(hit)
            self._in_flight[hit.host] = self._in_flight.get(hit.host, 0) + 1
            self.most_in_flight[hit.host] = max(
                self.most_in_flight.get(hit.host, 0), self._in_flight[hit.host]
            )

    def leave(self, hit: Hit):
        with self._lock:
            hit.left = time.monotonic()
            self._in_flight[hit.host] -= 1


class Web:
    def __init__(self):
        self.server = _Server()
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, path: str, status: int) -> None:
        self.server.answers[path] = status

    @property
    def hits(self) -> list[Hit]:
        return self.server.hits

    def start(self) -> "Web":
        self.thread.start()
        return self

    def stop(self):
        if self.server.stopping.is_set():
            return
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
