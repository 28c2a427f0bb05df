"""What the stand-ins of outside APIs share: a threaded server on a daemon thread that tests
start and stop around themselves (`StandinServer`, HTTP by default, SMTP too), a request handler
that answers JSON and logs nothing (`JsonHandler`), and the scripts' `--host`/`--port` and
serve-until-Ctrl-C.

Standard library only: the stand-ins also run as scripts, which put their own folder first on
sys.path and import this module as `serving`.
"""

import argparse
import json
import socketserver
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class StandinServer:
    """Serves `handler` on a daemon thread: `start()` and `stop()`, or a `with` block. Handlers
    reach the stand-in as `self.server.standin`; those that sleep (latency, a timeout fault)
    wait on `_stopping`, which `stop()` sets, so stopping never waits for them."""

    scheme = "http"  # of `address`

    def __init__(
        self,
        handler: type[socketserver.BaseRequestHandler],
        *,
        host: str,
        port: int,
        thread_name: str,
        server_class: type[socketserver.TCPServer] = ThreadingHTTPServer,
    ):
        self._stopping = threading.Event()
        self._server = server_class((host, port), handler)
        self._server.standin = self
        self._thread_name = thread_name
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._server.server_address[0]

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def address(self) -> str:
        """The address, "scheme://host:port", with the port the system gave when asked for 0."""
        return f"{self.scheme}://{self.host}:{self.port}"

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long stop() waits for the loop to notice
            name=self._thread_name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call twice."""
        self._stopping.set()
        if self._thread:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class JsonHandler(BaseHTTPRequestHandler):
    """Answers JSON over keep-alive connections, as the clients' sessions expect. Silent: request
    lines and bodies carry phone numbers, openids, tokens and robot keys."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after a minute
    # Headers and body leave in two writes; with Nagle on, the second waits for the client's
    # delayed ACK, some 40 ms per call.
    disable_nagle_algorithm = True
    content_type = "application/json; charset=utf-8"  # each API's own spelling in subclasses

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send_json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", self.content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the caller gave up (timeout)
            self.close_connection = True

    def log_message(self, format, *args):
        """Silent (see the class)."""


def script_arguments(description: str, port: int) -> argparse.ArgumentParser:
    """A script's parser with --host (127.0.0.1) and --port (`port`) already added."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    return parser


def serve_until_interrupted(standin: StandinServer, shown: str, summary: Callable[[], str]):
    """Start `standin`, print `shown` (its address as clients use it), serve until Ctrl-C, then
    print `summary()` (what it counted) and stop."""
    with standin:
        print(shown, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        print(summary())
