"""A local SMTP server for tests: it speaks enough of RFC 5321 for smtplib and Django's SMTP
backend (EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT), records every accepted
message per recipient, and fails on demand:

    with SmtpStandin() as server:                       # server.host, server.port
        server.refused.add("nobody@example.com")         # RCPT TO it: 550 5.1.1
        server.fail_next(1, "421")                        # the next MAIL FROM: 421, then closes
        server.fail_next(1, "drop")                       # the next MAIL FROM: connection closed
        server.fail_next(1, "drop_after_data")            # takes the message, closes unanswered
        server.received_by("press@example.cn")           # email.message.Message list

With `username` and `password`, AUTH PLAIN is offered and required; a wrong pair gets 535.

Standard library only (smtpd left the standard library in 3.12), so it also runs as a script
(prints its address, serves until Ctrl-C): `python standins/smtp_server.py --port 8025`.
It never prints an address or a message.
"""

import base64
import email
import email.policy
import os
import socketserver
import sys
import threading
from collections import Counter, defaultdict, deque
from email.message import EmailMessage

if __package__:
    from .serving import StandinServer, script_arguments, serve_until_interrupted
else:  # run as a script (by path, or by runpy from anywhere): serving.py is beside it
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from serving import StandinServer, script_arguments, serve_until_interrupted

FAULTS = ("421", "drop", "drop_after_data")


class SmtpStandin(StandinServer):
    """The fake server. All state is guarded by one lock: tests may inject faults and read
    records while sessions are being served."""

    scheme = "smtp"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = "",
        password: str = "",
    ):
        self.username, self._password = username, password
        self.refused: set[str] = set()
        self._lock = threading.Lock()
        self._faults: deque[str] = deque()
        self._received: defaultdict[str, list[EmailMessage]] = defaultdict(list)
        self.commands: Counter[str] = Counter()
        super().__init__(
            _Session, host=host, port=port, thread_name="smtp-standin", server_class=_Server
        )

    def fail_next(self, count: int = 1, kind: str = "421") -> None:
        """The next `count` MAIL FROM commands fail: "421" (answered, then the connection is
        closed), "drop" (closed unanswered: nothing taken), "drop_after_data" (the message is
        taken and recorded, and the connection closed before the answer to DATA)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULTS}")
        with self._lock:
            self._faults.extend([kind] * count)

    def received_by(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return list(self._received.get(address.lower(), ()))

    @property
    def received(self) -> dict[str, list[EmailMessage]]:
        """A snapshot: recipient -> the messages accepted for them, in order."""
        with self._lock:
            return {address: list(found) for address, found in self._received.items()}

    # Sessions (server threads)

    def take_fault(self) -> str | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def check_login(self, username: str, password: str) -> bool:
        return username == self.username and password == self._password

    def record(self, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            for address in recipients:
                self._received[address.lower()].append(message)

    def count(self, command: str) -> None:
        with self._lock:
            self.commands[command] += 1


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Dropped(Exception):
    """The session ends without an answer (a fault)."""


class _Session(socketserver.StreamRequestHandler):
    timeout = 30

    def handle(self):
        standin: SmtpStandin = self.server.standin
        self.authenticated = not standin.username
        self.drop_after_data = False
        self._reset()
        self._reply("220 standin ESMTP ready")
        try:
            while line := self.rfile.readline(4096):
                verb, _, argument = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
                verb = verb.upper()
                standin.count(verb)
                if not self._command(standin, verb, argument):
                    return
        except (_Dropped, ConnectionError, TimeoutError):
            return

    def _reset(self):
        self.sender, self.recipients = None, []

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def _command(self, standin: SmtpStandin, verb: str, argument: str) -> bool:
        """Answer one command; False ends the session."""
        match verb:
            case "EHLO":
                self._reset()
                extensions = ["250-standin", "250-8BITMIME", "250-SMTPUTF8"]
                if standin.username:
                    extensions.append("250-AUTH PLAIN")
                self._reply("\r\n".join([*extensions, "250 HELP"]))
            case "HELO":
                self._reset()
                self._reply("250 standin")
            case "AUTH":
                self._auth(standin, argument)
            case "MAIL":
                return self._mail(standin, argument)
            case "RCPT":
                self._rcpt(standin, argument)
            case "DATA":
                return self._data(standin)
            case "RSET":
                self._reset()
                self._reply("250 OK")
            case "NOOP":
                self._reply("250 OK")
            case "QUIT":
                self._reply("221 Bye")
                return False
            case _:
                self._reply("502 5.5.2 Command not implemented")
        return True

    def _auth(self, standin: SmtpStandin, argument: str) -> None:
        mechanism, _, initial = argument.partition(" ")
        if mechanism.upper() != "PLAIN" or not standin.username:
            self._reply("504 5.5.4 Unrecognized authentication type")
            return
        if not initial:
            self._reply("334 ")
            initial = self.rfile.readline(4096).decode().strip()
        try:
            _authzid, username, password = base64.b64decode(initial).decode().split("\0")
        except ValueError:
            self._reply("501 5.5.2 Cannot decode response")
            return
        if standin.check_login(username, password):
            self.authenticated = True
            self._reply("235 2.7.0 Authentication successful")
        else:
            self._reply("535 5.7.8 Authentication credentials invalid")

    def _mail(self, standin: SmtpStandin, argument: str) -> bool:
        if not self.authenticated:
            self._reply("530 5.7.0 Authentication required")
            return True
        match standin.take_fault():
            case "421":
                self._reply("421 4.3.2 Service not available, closing transmission channel")
                return False
            case "drop":
                raise _Dropped
            case "drop_after_data":
                self.drop_after_data = True
            case None:
                self.drop_after_data = False
        self._reset()
        self.sender = _address(argument, "FROM:")
        self._reply("250 2.1.0 OK")
        return True

    def _rcpt(self, standin: SmtpStandin, argument: str) -> None:
        if self.sender is None:
            self._reply("503 5.5.1 Need MAIL command")
            return
        address = _address(argument, "TO:")
        if address.lower() in {refused.lower() for refused in standin.refused}:
            self._reply("550 5.1.1 Mailbox unavailable")
            return
        self.recipients.append(address)
        self._reply("250 2.1.5 OK")

    def _data(self, standin: SmtpStandin) -> bool:
        if not self.recipients:
            self._reply("503 5.5.1 Need RCPT command")
            return True
        self._reply("354 End data with <CR><LF>.<CR><LF>")
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        standin.record(self.recipients, b"".join(lines))
        if self.drop_after_data:
            raise _Dropped
        self._reset()
        self._reply("250 2.0.0 OK queued")
        return True


def _address(argument: str, prefix: str) -> str:
    """'FROM:<a@example.com> SIZE=12' -> 'a@example.com'."""
    value = argument.strip()
    if value.upper().startswith(prefix):
        value = value[len(prefix) :].strip()
    return value.split(" ", 1)[0].strip("<>")


def main() -> None:
    parser = script_arguments("Local SMTP stand-in.", port=8025)
    parser.add_argument("--username", default="")
    parser.add_argument("--password", default="")
    args = parser.parse_args()
    server = SmtpStandin(
        host=args.host, port=args.port, username=args.username, password=args.password
    )

    def summary() -> str:
        return f"messages accepted: {sum(len(m) for m in server.received.values())}"

    serve_until_interrupted(server, server.address, summary)


if __name__ == "__main__":
    main()
