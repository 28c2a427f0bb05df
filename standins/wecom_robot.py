"""A local stand-in for the 企业微信 group robot webhook (POST /cgi-bin/webhook/send?key=KEY).

It knows a set of robot keys, validates the JSON body as WeCom does (msgtype text or markdown,
content at most 4096 bytes), records every accepted message per key, enforces each robot's
limit of 20 messages a minute (45009), answers unknown keys with 93000, and fails on demand:

    with WecomRobotStandin({"key-1", "key-2"}) as standin:   # standin.base_url
        standin.fail_next(1, 45009)      # the next call: errcode 45009 (any int: that errcode)
        standin.fail_next(2, "5xx")      # HTTP 503
        standin.fail_next(1, "timeout")  # takes the message, answers after `timeout_delay`
        standin.remove("key-2")          # the robot left its group: 93000 from now on
        standin.sent_to("key-1")         # the accepted messages, in order

Standard library only, so it also runs as a script (prints its base URL, serves until Ctrl-C):

    python standins/wecom_robot.py --port 8998 [--key KEY ...] [--key-prefix demo-]

It never prints a key: requests are not logged.
"""

import json
import os
import sys
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

if __package__:
    from .serving import JsonHandler, StandinServer, script_arguments, serve_until_interrupted
else:  # run as a script (by path, or by runpy from anywhere): serving.py is beside it
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from serving import JsonHandler, StandinServer, script_arguments, serve_until_interrupted

SEND_PATH = "/cgi-bin/webhook/send"
CONTENT_LIMIT = 4096  # bytes
PER_MINUTE = 20
ERRMSG = {
    0: "ok",
    -1: "system busy",
    40008: "invalid message type",
    40058: "invalid parameter",
    44004: "empty content",
    45002: "content size out of limit",
    45009: "api freq out of limit",
    93000: "invalid webhook url",
}


@dataclass(frozen=True)
class Posted:
    msgtype: str
    content: str
    at: float  # time.time()


class WecomRobotStandin(StandinServer):
    """The fake API. All state is guarded by one lock."""

    def __init__(
        self,
        keys=(),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        key_prefix: str | None = None,
        timeout_delay: float = 3.0,
        per_minute: int = PER_MINUTE,
    ):
        """`key_prefix`: every key starting with it is known too (the demo's robots: "demo-";
        "" knows every key). `timeout_delay`: how long a
        "timeout" fault holds its answer, after recording the message."""
        self.key_prefix = key_prefix
        self.timeout_delay = timeout_delay
        self.per_minute = per_minute
        self._keys = set(keys)
        self._lock = threading.Lock()
        self._faults: deque[int | str] = deque()
        self._sent: defaultdict[str, list[Posted]] = defaultdict(list)
        self._recent: defaultdict[str, deque[float]] = defaultdict(deque)
        self.calls = 0
        super().__init__(_Handler, host=host, port=port, thread_name="wecom-robot-standin")

    @property
    def base_url(self) -> str:
        return self.address

    # Fault injection and inspection

    def add(self, key: str) -> None:
        with self._lock:
            self._keys.add(key)

    def remove(self, key: str) -> None:
        """The robot was removed from its group: its key answers 93000 from now on."""
        with self._lock:
            self._keys.discard(key)

    def fail_next(self, count: int = 1, fault: int | str = "5xx") -> None:
        """The next `count` calls (after the key check) fail: an int is answered as that
        errcode (45009, -1, ...), "5xx" is HTTP 503, "timeout" records the message and holds
        the answer for `timeout_delay` seconds."""
        with self._lock:
            self._faults.extend([fault] * count)

    def sent_to(self, key: str) -> list[Posted]:
        with self._lock:
            return list(self._sent.get(key, ()))

    @property
    def sent(self) -> dict[str, list[Posted]]:
        with self._lock:
            return {key: list(posts) for key, posts in self._sent.items()}

    # Request handling (server threads)

    def handle(self, path: str, body: bytes) -> tuple[int, dict]:
        with self._lock:
            self.calls += 1
        url = urlsplit(path)
        if url.path != SEND_PATH:
            return 404, {"errcode": 404, "errmsg": "not found"}
        key = (parse_qs(url.query).get("key") or [""])[0]
        with self._lock:
            known = key in self._keys or (
                self.key_prefix is not None and key.startswith(self.key_prefix)
            )
            fault = self._faults.popleft() if known and self._faults else None
        if not known:
            return 200, _answer(93000)
        if fault == "5xx":
            return 503, {"errcode": -1, "errmsg": "service unavailable"}
        if isinstance(fault, int):
            return 200, _answer(fault)
        try:
            message = json.loads(body)
            msgtype = message["msgtype"]
            content = message[msgtype]["content"]
        except (ValueError, KeyError, TypeError):
            return 200, _answer(40058)
        if msgtype not in ("text", "markdown"):
            return 200, _answer(40008)
        if not content:
            return 200, _answer(44004)
        if len(content.encode()) > CONTENT_LIMIT:
            return 200, _answer(45002)
        if not self._within_rate(key):
            return 200, _answer(45009)
        with self._lock:
            self._sent[key].append(Posted(msgtype, content, time.time()))
        if fault == "timeout":
            self._stopping.wait(self.timeout_delay)
        return 200, _answer(0)

    def _within_rate(self, key: str) -> bool:
        """At most `per_minute` accepted messages per key in any 60 seconds, by time.time(),
        which in a test process follows the suite's clock (`clock.shift`)."""
        now = time.time()
        with self._lock:
            recent = self._recent[key]
            while recent and recent[0] <= now - 60:
                recent.popleft()
            if len(recent) >= self.per_minute:
                return False
            recent.append(now)
            return True


def _answer(errcode: int) -> dict:
    return {"errcode": errcode, "errmsg": ERRMSG.get(errcode, "error")}


class _Handler(JsonHandler):
    content_type = "application/json; charset=UTF-8"

    def do_POST(self):
        self.send_json(*self.server.standin.handle(self.path, self.read_body()))


def main() -> None:
    parser = script_arguments("Local stand-in for WeCom group robots.", port=8998)
    parser.add_argument("--key", action="append", default=[], help="a known robot key")
    parser.add_argument(
        "--key-prefix", default=None, help='keys starting with it are known too ("demo-")'
    )
    args = parser.parse_args()
    standin = WecomRobotStandin(
        args.key, host=args.host, port=args.port, key_prefix=args.key_prefix
    )

    def summary() -> str:
        posts = sum(len(posts) for posts in standin.sent.values())
        return f"calls: {standin.calls}; messages accepted: {posts}"

    serve_until_interrupted(standin, standin.base_url, summary)


if __name__ == "__main__":
    main()
