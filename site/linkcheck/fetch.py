"""External links checked over HTTP, politely and without being turned against the company's
own network.

- Only http and https; never the address of a host that resolves to a private, loopback,
  link-local or otherwise non-public address (the checker runs inside the company network, and
  an editor could otherwise make it probe intranet servers), unless
  `LINKCHECK_ALLOW_PRIVATE`. The connection goes to the very address that was checked (the host
  is not resolved again), so a DNS answer that changes in between cannot slip past.
- Per host, one request at a time and at most `LINKCHECK_HOST_RATE` a second; several hosts at
  once (`LINKCHECK_CONCURRENCY`); each request with `LINKCHECK_TIMEOUT` (connecting and each
  read); no new request once the run's budget (`LINKCHECK_BUDGET` seconds) is spent, nor to a
  host that answered 429: what is left waits for the next run.
- HEAD first; GET when HEAD is refused or fails (many servers answer HEAD with 405, 403 or
  404); only the status line and headers are read. Redirects are followed (five at most), each
  hop checked and paced like the first; a permanent one (301, 308) is reported as moved, with
  the address to link to instead.
- A User-Agent that names the checker and the site.

No database access here: the run (linkcheck.run) reads and writes the results."""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from linkcheck.enums import Status
from linkcheck.verdicts import Verdict

MAX_REDIRECTS = 5
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}


class BudgetSpent(Exception):
    """The run's time is up: the address is left for the next run."""


class SlowDown(Exception):
    """429: the host asked us to come back later; not a broken link."""


class Refused(Exception):
    """The address is not fetched: it is private."""


@dataclass(frozen=True)
class Outcome:
    """What an address answered: `verdict` None when it works; `checked` False when it was not
    looked at (budget spent, or the host asked us to slow down), so that what an earlier run
    found still holds."""

    url: str
    verdict: Verdict | None
    checked: bool = True


@dataclass(frozen=True)
class Limits:
    timeout: float
    host_rate: float  # requests a second per host
    budget: float  # seconds for the whole run
    concurrency: int
    allow_private: bool
    user_agent: str

    @classmethod
    def from_settings(cls, user_agent: str) -> "Limits":
        return cls(
            timeout=settings.LINKCHECK_TIMEOUT,
            host_rate=settings.LINKCHECK_HOST_RATE,
            budget=settings.LINKCHECK_BUDGET,
            concurrency=settings.LINKCHECK_CONCURRENCY,
            allow_private=settings.LINKCHECK_ALLOW_PRIVATE,
            user_agent=user_agent,
        )


class HostPacer:
    """One request at a time per host, and their starts at least 1/rate seconds apart."""

    def __init__(self, rate: float, deadline: float):
        self.interval = 1 / rate if rate > 0 else 0
        self.deadline = deadline
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._next: dict[str, float] = {}
        self._guard = threading.Lock()

    @contextmanager
    def slot(self, host: str):
        with self._guard:
            lock = self._locks[host]
        with lock:
            wait = self._next.get(host, 0) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if time.monotonic() >= self.deadline:
                raise BudgetSpent
            self._next[host] = time.monotonic() + self.interval
            yield


@dataclass(frozen=True)
class Response:
    status: int
    location: str = ""


class Checker:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.pacer = HostPacer(limits.host_rate, time.monotonic() + limits.budget)

    def check_all(self, urls: Iterable[str]) -> list[Outcome]:
        """Each address once, hosts in parallel; `urls` in the order they should be looked at
        (longest unchecked first), which each host keeps."""
        by_host: dict[str, list[str]] = defaultdict(list)
        for url in dict.fromkeys(urls):
            by_host[(urlsplit(url).hostname or "").lower()].append(url)
        with ThreadPoolExecutor(max_workers=max(1, self.limits.concurrency)) as pool:
            batches = pool.map(self._check_host, by_host.values())
            return [outcome for batch in batches for outcome in batch]

    def _check_host(self, urls: list[str]) -> list[Outcome]:
        outcomes = []
        for url in urls:
            try:
                outcomes.append(Outcome(url, self.check(url)))
            except ValueError:  # a port out of range, a malformed address
                outcomes.append(
                    Outcome(url, Verdict(Status.UNREACHABLE, _("网址格式有误，读者也打不开。")))
                )
            except (BudgetSpent, SlowDown):  # the rest of this host's links wait for next time
                outcomes.extend(
                    Outcome(left, None, checked=False) for left in urls[len(outcomes) :]
                )
                break
        return outcomes

    def check(self, url: str) -> Verdict | None:
        """The verdict on one address, following its redirects. The link has moved when its
        first answer is a permanent redirect; the address to use is where the redirects end."""
        permanent = False
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            try:
                response = self._fetch(current)
            except Refused as refusal:
                return Verdict(Status.PRIVATE, str(refusal))
            except TimeoutError:
                return Verdict(
                    Status.TIMEOUT,
                    _(
                        "对方网站在%(seconds)s秒内没有响应。如果多次检查都超时，请确认网址或删除此链接。"
                    )
                    % {"seconds": f"{self.limits.timeout:g}"},
                )
            except OSError as error:
                return Verdict(Status.UNREACHABLE, _unreachable(error))
            except http.client.HTTPException:
                return Verdict(Status.UNREACHABLE, _("对方网站的应答不是有效的HTTP响应。"))
            if response.status in REDIRECTS and response.location:
                permanent = permanent or (hop == 0 and response.status in PERMANENT)
                current = urljoin(current, response.location)
                if urlsplit(current).scheme not in ("http", "https"):
                    return None  # to an app or a download the browser hands on: not checked
                continue
            return self._judge(response.status, current if permanent else "")
        return Verdict(
            Status.UNREACHABLE,
            _("重定向超过%(count)d次，读者的浏览器也会放弃。") % {"count": MAX_REDIRECTS},
        )

    def _judge(self, status: int, moved_to: str) -> Verdict | None:
        if status == 429:
            raise SlowDown
        if status in (401, 403):
            return Verdict(
                Status.FORBIDDEN,
                _(
                    "对方网站拒绝了检查程序的访问（HTTP %(status)d），可能需要登录或屏蔽了程序访问。请在浏览器中打开确认。"
                )
                % {"status": status},
                http_status=status,
            )
        if 400 <= status < 500:
            return Verdict(
                Status.CLIENT_ERROR,
                _("对方网站回答HTTP %(status)d：%(meaning)s。请找到正确的网址，或删除此链接。")
                % {"status": status, "meaning": _meaning(status)},
                http_status=status,
            )
        if status >= 500:
            return Verdict(
                Status.SERVER_ERROR,
                _("对方网站出错（HTTP %(status)d）。如果多次检查都出错，请联系对方或删除此链接。")
                % {"status": status},
                http_status=status,
            )
        if moved_to:
            return Verdict(
                Status.REDIRECTED,
                _("网址已永久迁移，读者会被自动转到新地址。请把链接改为新地址。"),
                suggestion=moved_to,
                http_status=status,
            )
        return None

    def _fetch(self, url: str) -> Response:
        """HEAD, then GET if HEAD is refused or fails."""
        response = self._request(url, "HEAD")
        if response.status >= 400 and response.status != 429:
            response = self._request(url, "GET")
        return response

    def _request(self, url: str, method: str) -> Response:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = self._addresses(host, port)
        target = iri_to_uri(parts.path or "/") + (
            f"?{iri_to_uri(parts.query)}" if parts.query else ""
        )
        with self.pacer.slot(host):
            connection = _connection(parts.scheme, host, port, addresses, self.limits.timeout)
            try:
                connection.request(
                    method,
                    target,
                    headers={
                        "User-Agent": self.limits.user_agent,
                        "Accept": "*/*",
                        "Accept-Language": "zh-CN,zh;q=0.9",
                    },
                )
                response = connection.getresponse()
                return Response(response.status, response.getheader("Location", "") or "")
            finally:
                connection.close()

    def _addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to, in the resolver's order; Refused when one of them is
        not public (and that is not allowed)."""
        try:
            infos = socket.getaddrinfo(_ascii_host(host), port, type=socket.SOCK_STREAM)
        except UnicodeError as error:
            raise OSError(str(error)) from error
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not self.limits.allow_private:
            for address in addresses:
                if not is_public(address):
                    raise Refused(
                        _(
                            "该网址指向内网或本机地址（%(address)s），检查程序不访问这类地址；公众也打不开它。请确认链接是否应当公开。"
                        )
                        % {"address": address}
                    )
        return addresses


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _ascii_host(host: str) -> str:
    return host.encode("idna").decode("ascii")


def _connection(scheme: str, host: str, port: int, addresses: list[str], timeout: float):
    """An HTTP(S) connection to `host` that connects to the `addresses` checked, the first that
    answers (TLS still verifies the certificate and sends SNI for `host`)."""
    ascii_host = _ascii_host(host)
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            ascii_host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(ascii_host, port, timeout=timeout)

    def connect_to_checked(_address, timeout=None, source_address=None):
        for address in addresses[:-1]:
            try:
                return socket.create_connection((address, port), timeout, source_address)
            except OSError:
                continue
        return socket.create_connection((addresses[-1], port), timeout, source_address)

    connection._create_connection = connect_to_checked
    return connection


def _unreachable(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return _("域名无法解析，网站可能已停用或网址写错了。")
    if isinstance(error, ssl.SSLError):
        return _("网站的HTTPS证书无效或加密连接失败，读者的浏览器也会报警。")
    if isinstance(error, ConnectionRefusedError):
        return _("对方服务器拒绝连接，网站可能已停用。")
    return _("无法连接对方网站（%(error)s）。") % {"error": error.__class__.__name__}


def _meaning(status: int) -> str:
    return {
        400: _("请求无效"),
        404: _("页面不存在"),
        410: _("页面已永久删除"),
    }.get(status, _("请求被拒绝"))
