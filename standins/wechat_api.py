"""A local stand-in for the WeChat 公众号 API (api.weixin.qq.com): the stable-token API, template
messages, the custom menu and parametric QR codes.

It issues access_tokens as the stable-token API does (the same token to every normal-mode
caller while it is valid, the next one in its last five minutes, a new one on force_refresh,
which invalidates the old), checks the token of every other call, records what each openid
was sent, counts calls per endpoint and fails on demand:

    with WeChatApiStandin("wx-app-id", "app-secret") as standin:
        client = WeChatClient(app_id="wx-app-id", app_secret="app-secret",
                              api_base=standin.api_base)
        standin.fail_openid("o-gone", 43004)   # every send to it: 43004 (not following)
        standin.fail_next(2, "5xx")            # the next two template sends: HTTP 503
        standin.fail_next(1, "timeout")        # answers after `timeout_delay` seconds
        standin.fail_next(1, 45009)            # any number is answered as the errcode
        standin.expire_tokens()                # tokens in use: 42001 until renewed
        standin.invalidate_tokens()            # tokens in use: 40001 until a forced refresh

Standard library only, so it also runs as a script (prints its API base, serves until Ctrl-C):

    python standins/wechat_api.py --port 8998 --app-id wx-app-id --secret app-secret

Requests are not logged: their query strings carry tokens and their bodies openids.
"""

import hashlib
import hmac
import itertools
import json
import os
import secrets
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

if __package__:
    from .serving import JsonHandler, StandinServer, script_arguments, serve_until_interrupted
else:  # run as a script (by path, or by runpy from anywhere): serving.py is beside it
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from serving import JsonHandler, StandinServer, script_arguments, serve_until_interrupted

TOKEN_LIFETIME = 7200
NEXT_TOKEN_AHEAD = 300  # normal mode issues the next token in the current one's last 5 minutes
CLIENT_MSG_ID_WINDOW = 600  # one message per openid and client_msg_id within ten minutes
MAX_SCENE_LENGTH = 64
ENDPOINTS = {
    "/cgi-bin/stable_token": "stable_token",
    "/cgi-bin/message/template/send": "template",
    "/cgi-bin/menu/create": "menu",
    "/cgi-bin/qrcode/create": "qrcode",
}
ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40013: "invalid appid",
    40016: "invalid button size",
    40017: "invalid button type",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    41001: "access_token missing",
    42001: "access_token expired",
    43004: "require subscribe",
    44002: "empty post data",
    45009: "reach max api daily quota limit",
    47001: "data format error",
}


@dataclass(frozen=True)
class TemplateRecord:
    """One accepted template message to one openid."""

    template_id: str
    data: dict  # keyword -> value
    url: str
    msgid: int
    client_msg_id: str
    sent_at: float


class ApiError(Exception):
    def __init__(self, errcode: int, status: int = 200):
        super().__init__(errcode)
        self.errcode, self.status = errcode, status


@dataclass
class _Token:
    value: str
    expires_at: float
    invalid: bool = False


class WeChatApiStandin(StandinServer):
    """The fake WeChat API. All state is guarded by one lock: tests may inject faults and read
    records while requests are being served."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        timeout_delay: float = 5.0,
        timeout_after_accept: bool = False,
        template_ids: set[str] | None = None,
    ):
        """`latency`: seconds added to every call. `timeout_delay`: how long a "timeout" fault
        keeps the caller waiting before answering HTTP 503; the message is recorded first when
        `timeout_after_accept` (WeChat accepted, then went silent), else not at all.
        `template_ids`: the account's templates (None: any); others get 40037."""
        self.app_id = app_id
        self._secret = app_secret
        self.latency = latency
        self.timeout_delay = timeout_delay
        self.timeout_after_accept = timeout_after_accept
        self.template_ids = template_ids
        self._lock = threading.Lock()
        self._faults: deque[tuple[str | int, str | None]] = deque()
        self._openid_errors: dict[str, int] = {}
        self._tokens: list[_Token] = []  # the current one last
        self._sent: defaultdict[str, list[TemplateRecord]] = defaultdict(list)
        self._client_msg_ids: dict[tuple[str, str], TemplateRecord] = {}
        self._menus: list[dict] = []
        self._calls: Counter[str] = Counter()
        self._msgids = itertools.count(1_000_001)
        super().__init__(_Handler, host=host, port=port, thread_name="wechat-api-standin")

    @property
    def api_base(self) -> str:
        return self.address

    # Fault injection

    def fail_next(self, count: int = 1, kind: str | int = "5xx", *, endpoint="template"):
        """Make the next `count` calls of `endpoint` ("stable_token", "template", "menu",
        "qrcode"; None: any) fail: "5xx" (HTTP 503), "timeout" (see `timeout_delay`), or an
        errcode (45009, -1, ...). Faults apply after the token check."""
        with self._lock:
            self._faults.extend([(kind, endpoint)] * count)

    def fail_openid(self, openid: str, errcode: int = 43004) -> None:
        """Every template message to `openid` is answered `errcode` (43004: not following)."""
        with self._lock:
            self._openid_errors[openid] = errcode

    def expire_tokens(self) -> None:
        """Every token issued so far expires now: calls with one get 42001, and the next
        normal-mode stable_token call issues a new one."""
        with self._lock:
            for token in self._tokens:
                token.expires_at = min(token.expires_at, time.time())

    def invalidate_tokens(self) -> None:
        """Every token issued so far is revoked (as when one leaked): calls with one get 40001,
        and normal mode keeps handing out the current one until a forced refresh replaces it."""
        with self._lock:
            for token in self._tokens:
                token.invalid = True

    # Inspection

    def sent_to(self, openid: str) -> list[TemplateRecord]:
        with self._lock:
            return list(self._sent.get(openid, ()))

    @property
    def sent(self) -> dict[str, list[TemplateRecord]]:
        """A snapshot: openid -> its accepted template messages, in order."""
        with self._lock:
            return {openid: list(records) for openid, records in self._sent.items()}

    @property
    def message_count(self) -> int:
        with self._lock:
            return sum(len(records) for records in self._sent.values())

    @property
    def menu(self) -> dict | None:
        """The custom menu last created."""
        with self._lock:
            return self._menus[-1] if self._menus else None

    @property
    def calls(self) -> Counter:
        """Calls received per endpoint (failed ones included); forced token refreshes also
        count as "stable_token_forced"."""
        with self._lock:
            return Counter(self._calls)

    @property
    def current_token(self) -> str | None:
        with self._lock:
            return self._tokens[-1].value if self._tokens else None

    @staticmethod
    def qr_url(scene_str: str) -> str:
        """The URL qrcode/create answers for a scene: deterministic, as a test can predict."""
        return f"http://weixin.qq.com/q/{_scene_ticket(scene_str)[:22]}"

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self._openid_errors.clear()
            self._sent.clear()
            self._client_msg_ids.clear()
            self._menus.clear()
            self._calls.clear()

    # Request handling (server threads)

    def handle(self, path: str, query: dict[str, str], body: bytes) -> tuple[int, dict]:
        """(HTTP status, JSON body) for one request."""
        endpoint = ENDPOINTS.get(path)
        with self._lock:
            self._calls[endpoint or path] += 1
        if self.latency:
            self._stopping.wait(self.latency)
        try:
            if endpoint is None:
                raise ApiError(-1, 404)
            payload = _json_body(body)
            if endpoint == "stable_token":
                if fault := self._take_fault(endpoint):
                    return self._answer_fault(fault, endpoint, payload)
                return 200, self._stable_token(payload)
            self._check_token(query.get("access_token", ""))
            fault = self._take_fault(endpoint)
            if fault:
                return self._answer_fault(fault, endpoint, payload)
            return 200, self._perform(endpoint, payload)
        except ApiError as error:
            return error.status, _error_body(error.errcode)

    def _take_fault(self, endpoint: str) -> str | int | None:
        with self._lock:
            for index, (kind, fault_endpoint) in enumerate(self._faults):
                if fault_endpoint in (None, endpoint):
                    del self._faults[index]
                    return kind
        return None

    def _answer_fault(self, kind, endpoint: str, payload: dict) -> tuple[int, dict]:
        if kind == "timeout":
            if self.timeout_after_accept and endpoint != "stable_token":
                self._perform(endpoint, payload)
            self._stopping.wait(self.timeout_delay)
            return 503, _error_body(-1)
        if kind == "5xx":
            return 503, _error_body(-1)
        return 200, _error_body(int(kind))

    def _stable_token(self, payload: dict) -> dict:
        if payload.get("grant_type") != "client_credential":
            raise ApiError(40002)
        if payload.get("appid") != self.app_id:
            raise ApiError(40013)
        if not hmac.compare_digest(str(payload.get("secret", "")), self._secret):
            raise ApiError(40125)
        force = payload.get("force_refresh") is True
        now = time.time()
        with self._lock:
            if force:
                self._calls["stable_token_forced"] += 1
                for token in self._tokens:
                    token.invalid = True
            current = self._tokens[-1] if self._tokens else None
            if force or current is None or current.expires_at - now <= NEXT_TOKEN_AHEAD:
                current = _Token(secrets.token_urlsafe(48), now + TOKEN_LIFETIME)
                self._tokens.append(current)
                self._tokens = self._tokens[-5:]
        return {"access_token": current.value, "expires_in": int(current.expires_at - now)}

    def _check_token(self, value: str) -> None:
        if not value:
            raise ApiError(41001)
        with self._lock:
            token = next((t for t in self._tokens if t.value == value), None)
        if token is None or token.invalid:
            raise ApiError(40001)
        if token.expires_at <= time.time():
            raise ApiError(42001)

    def _perform(self, endpoint: str, payload: dict) -> dict:
        if endpoint == "template":
            return self._send_template(payload)
        if endpoint == "menu":
            return self._create_menu(payload)
        return self._create_qrcode(payload)

    def _send_template(self, payload: dict) -> dict:
        openid, template_id = payload.get("touser"), payload.get("template_id")
        if not isinstance(openid, str) or not openid:
            raise ApiError(40003)
        if not isinstance(template_id, str) or not template_id:
            raise ApiError(40037)
        if self.template_ids is not None and template_id not in self.template_ids:
            raise ApiError(40037)
        data = payload.get("data", {})
        if not isinstance(data, dict) or not all(
            isinstance(field, dict) and isinstance(field.get("value"), str)
            for field in data.values()
        ):
            raise ApiError(47001)
        client_msg_id = str(payload.get("client_msg_id", ""))
        now = time.time()
        with self._lock:
            if errcode := self._openid_errors.get(openid):
                raise ApiError(errcode)
            earlier = self._client_msg_ids.get((openid, client_msg_id))
            if client_msg_id and earlier and now - earlier.sent_at < CLIENT_MSG_ID_WINDOW:
                return {"errcode": 0, "errmsg": "ok", "msgid": earlier.msgid}
            record = TemplateRecord(
                template_id=template_id,
                data={key: field["value"] for key, field in data.items()},
                url=str(payload.get("url", "")),
                msgid=next(self._msgids),
                client_msg_id=client_msg_id,
                sent_at=now,
            )
            self._sent[openid].append(record)
            if client_msg_id:
                self._client_msg_ids[(openid, client_msg_id)] = record
        return {"errcode": 0, "errmsg": "ok", "msgid": record.msgid}

    def _create_menu(self, payload: dict) -> dict:
        buttons = payload.get("button")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            raise ApiError(40016)
        for button in buttons:
            subs = button.get("sub_button") if isinstance(button, dict) else None
            if subs:
                if not isinstance(subs, list) or len(subs) > 5:
                    raise ApiError(40016)
                if not all(_leaf_button_is_valid(sub) for sub in subs):
                    raise ApiError(40017)
                if not button.get("name"):
                    raise ApiError(40017)
            elif not _leaf_button_is_valid(button):
                raise ApiError(40017)
        with self._lock:
            self._menus.append(payload)
        return {"errcode": 0, "errmsg": "ok"}

    def _create_qrcode(self, payload: dict) -> dict:
        scene = (payload.get("action_info") or {}).get("scene") or {}
        scene_str = scene.get("scene_str")
        if payload.get("action_name") != "QR_LIMIT_STR_SCENE":
            raise ApiError(47001)
        if not isinstance(scene_str, str) or not 1 <= len(scene_str) <= MAX_SCENE_LENGTH:
            raise ApiError(47001)
        return {"ticket": _scene_ticket(scene_str), "url": self.qr_url(scene_str)}


def _leaf_button_is_valid(button) -> bool:
    if not isinstance(button, dict) or not button.get("name"):
        return False
    kind = button.get("type")
    if kind in ("click", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "location_select"):
        return bool(button.get("key"))
    if kind == "view":
        return str(button.get("url", "")).startswith(("http://", "https://"))
    if kind == "miniprogram":
        return bool(button.get("appid") and button.get("pagepath"))
    return False


def _scene_ticket(scene_str: str) -> str:
    return hashlib.sha256(f"qr:{scene_str}".encode()).hexdigest()


def _json_body(body: bytes) -> dict:
    if not body:
        raise ApiError(44002)
    try:
        payload = json.loads(body.decode())
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise ApiError(47001)
    return payload


def _error_body(errcode: int) -> dict:
    rid = secrets.token_hex(4)
    return {"errcode": errcode, "errmsg": f"{ERRMSG.get(errcode, 'stand-in fault')} rid: {rid}"}


class _Handler(JsonHandler):
    content_type = "application/json; encoding=utf-8"

    def do_POST(self):
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.send_json(*self.server.standin.handle(parts.path, query, self.read_body()))


def main() -> None:
    parser = script_arguments("Local stand-in for the WeChat 公众号 API.", port=8998)
    parser.add_argument("--app-id", required=True, help="AppID the clients use")
    parser.add_argument("--secret", required=True, help="AppSecret the clients use")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per call")
    args = parser.parse_args()
    standin = WeChatApiStandin(
        args.app_id, args.secret, host=args.host, port=args.port, latency=args.latency
    )

    def summary() -> str:
        calls = ", ".join(f"{name} {count}" for name, count in sorted(standin.calls.items()))
        return f"calls: {calls or 'none'}; template messages accepted: {standin.message_count}"

    serve_until_interrupted(standin, standin.api_base, summary)


if __name__ == "__main__":
    main()
