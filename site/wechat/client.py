"""The WeChat 公众号 API client: access_token, template messages, the custom menu, parametric QR
codes.

    client = WeChatClient.from_settings()
    msgid = client.send_template(openid, settings.WECHAT_TEMPLATE_ID, {"thing1": "停热"}, url)

The access_token is shared by every process through Django's default cache (Redis in
production). It comes from the stable-token API (`/cgi-bin/stable_token`) in its normal mode,
which hands every caller the same token while it is valid, and a new one in its last five
minutes, the old one staying valid meanwhile. So:

- a token is used until five minutes before it expires; then ONE process (a short lock in the
  cache) asks for the next one while the others go on with the current one;
- a call answered 40001 / 40014 (token invalid) or 42001 (expired) renews the token once and
  is repeated once; a second refusal is a `TransientWeChatError`, never a loop.

The forced mode (`force_refresh`) invalidates the token every holder of the AppID uses (other
systems of the heating company may share the 公众号) and is limited to 20 calls a day, 30 s
apart: it is used only when the normal mode hands back the very token that was just refused.

Every call has a timeout. Nothing here logs an openid (`mask_openid`), the AppSecret or a
token; the token travels in the query string, as WeChat requires, and the site's log
formatter drops query strings (config.log_safety).
"""

import json
import logging
import threading
import time
import uuid

import requests
from django.conf import settings
from django.core.cache import cache as default_cache
from django.utils.translation import gettext as _
from urllib3.exceptions import ProtocolError

from . import mask_openid
from .errors import (
    TOKEN_ERRORS,
    PermanentWeChatError,
    TransientWeChatError,
    WeChatError,
    error_for,
)

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
# A token is dropped from the cache this long before WeChat's expiry (clock skew, call time).
EXPIRY_MARGIN = 60
# The stable-token API issues the next token in the current one's last five minutes.
REFRESH_AHEAD = 300
# The renewal lock expires by itself after this long, should its holder die.
LOCK_TIMEOUT = 15
# How long a process without a usable token waits for another one's renewal.
LOCK_WAIT = 5.0
LOCK_POLL = 0.05
# WeChat's limit for a QR_LIMIT_STR_SCENE scene string.
MAX_SCENE_LENGTH = 64


class _TokenRefused(Exception):
    def __init__(self, errcode: int, errmsg: str):
        super().__init__(errcode)
        self.errcode, self.errmsg = errcode, errmsg


class WeChatClient:
    """One 公众号's API. Safe to share between threads: each thread keeps its own HTTP
    session (connection), and the token is coordinated through the cache."""

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        api_base: str = DEFAULT_API_BASE,
        timeout: float | tuple[float, float] = (5, 10),
        cache=None,
    ):
        """`timeout`: requests' (connect, read) seconds for every call. `cache`: where the
        token is shared; Django's default cache unless given."""
        if not app_id or not app_secret:
            raise ValueError("WeChatClient needs an AppID and an AppSecret")
        self.app_id = app_id
        self._secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self.cache = default_cache if cache is None else cache
        self._token_key = f"wechat:access-token:{app_id}"
        self._lock_key = f"wechat:access-token-lock:{app_id}"
        self._local = threading.local()

    @classmethod
    def from_settings(cls, **overrides) -> "WeChatClient":
        """The client of the configured 公众号 (WECHAT_APP_ID, WECHAT_APP_SECRET,
        WECHAT_API_BASE); check `wechat.is_configured()` first."""
        options = {
            "app_id": settings.WECHAT_APP_ID,
            "app_secret": settings.WECHAT_APP_SECRET,
            "api_base": settings.WECHAT_API_BASE or DEFAULT_API_BASE,
        }
        return cls(**{**options, **overrides})

    def __repr__(self):
        return f"<WeChatClient {self.app_id} at {self.api_base}>"

    # The API

    def send_template(
        self,
        openid: str,
        template_id: str,
        data: dict,
        url: str = "",
        *,
        client_msg_id: str = "",
    ) -> int:
        """Send one template message; return WeChat's msgid. `data` maps the template's
        keyword names to their values (strings; a dict such as {"value": ..., "color": ...} is
        passed as it is). `url`: the page the message opens. `client_msg_id`: WeChat sends at
        most one message per openid and client_msg_id within ten minutes, so a repeated call
        after a lost answer does not deliver twice. Raises `NotFollowingError` (43004) and the
        other `WeChatError`s."""
        payload = {
            "touser": openid,
            "template_id": template_id,
            "data": {
                key: value if isinstance(value, dict) else {"value": str(value)}
                for key, value in data.items()
            },
        }
        if url:
            payload["url"] = url
        if client_msg_id:
            payload["client_msg_id"] = client_msg_id
        try:
            answer = self.call("/cgi-bin/message/template/send", payload)
        except WeChatError as error:
            logger.warning("template message to %s failed: %s", mask_openid(openid), error)
            raise
        msgid = int(answer.get("msgid") or 0)
        logger.info("template message to %s accepted, msgid %s", mask_openid(openid), msgid)
        return msgid

    def create_menu(self, menu: dict) -> None:
        """Replace the custom menu (自定义菜单) with `menu`: {"button": [...]}, as WeChat's
        menu/create takes it."""
        if not isinstance(menu.get("button"), list) or not menu["button"]:
            raise ValueError("a menu is {'button': [...]} with at least one button")
        self.call("/cgi-bin/menu/create", menu)
        logger.info("custom menu pushed (%d top-level buttons)", len(menu["button"]))

    def create_scene_qr(self, scene_str: str) -> str:
        """A permanent parametric QR code (QR_LIMIT_STR_SCENE) for `scene_str` (1-64
        characters; scanning it sends a subscribe or SCAN event whose EventKey carries it).
        Returns the `url` WeChat answers: the content to encode in the QR image (`wechat.qr`)."""
        if not 1 <= len(scene_str) <= MAX_SCENE_LENGTH:
            raise ValueError(f"a scene string has 1-{MAX_SCENE_LENGTH} characters")
        answer = self.call(
            "/cgi-bin/qrcode/create",
            {
                "action_name": "QR_LIMIT_STR_SCENE",
                "action_info": {"scene": {"scene_str": scene_str}},
            },
        )
        if not answer.get("url"):
            raise TransientWeChatError(0, _("微信二维码接口的应答缺少 url"))
        return answer["url"]

    def call(self, path: str, payload: dict) -> dict:
        """POST `payload` as JSON to `path` with the access_token; WeChat's answer when its
        errcode is 0 (or absent). A refused token is renewed once and the call repeated once."""
        token = self.access_token()
        try:
            return self._post(path, payload, token)
        except _TokenRefused as refused:
            logger.info("access_token refused (%s): renewing it once", refused.errcode)
        token = self._renew(stale=token)
        try:
            return self._post(path, payload, token)
        except _TokenRefused as refused:
            raise error_for(refused.errcode, refused.errmsg) from None

    # The access_token

    def access_token(self) -> str:
        """A valid access_token, from the shared cache when it holds one.

        In the token's last five minutes one process renews it (the others use the current
        one, still valid); a failed renewal, or one that brought the same token, leaves the
        lock to expire, so the next try comes LOCK_TIMEOUT later. The lock is `cache.add`, which is not atomic on every cache backend
        (Django's file cache): should two processes both take it, both ask the stable-token API
        in its normal mode, which answers concurrent callers with the same token, so nothing is
        invalidated; a lock that cannot be taken at all (Redis down) costs only extra calls."""
        record = self.cache.get(self._token_key)
        remaining = record["expires_at"] - time.time() if record else 0
        if remaining > REFRESH_AHEAD:
            return record["token"]
        if remaining > EXPIRY_MARGIN:
            lock = self._try_lock()
            if not lock:
                return record["token"]
            try:
                token = self._fetch(force=False)
            except WeChatError as error:
                logger.warning("renewing the access_token ahead of expiry failed: %s", error)
                return record["token"]  # the lock expires by itself: the next try is later
            if token != record["token"]:
                self._unlock(lock)
            return token
        return self._renew(stale=None)

    def _renew(self, *, stale: str | None) -> str:
        """A token other than `stale` (the one WeChat just refused; None: there is none): one
        another process put in the cache meanwhile, else the stable-token API's, forced only
        when it hands back `stale` itself."""
        lock = self._wait_for_lock()
        try:
            record = self.cache.get(self._token_key)
            if (
                record
                and record["token"] != stale
                and record["expires_at"] - time.time() > EXPIRY_MARGIN
            ):
                return record["token"]
            token = self._fetch(force=False)
            if token == stale:
                token = self._fetch(force=True)
            return token
        finally:
            self._unlock(lock)

    def _fetch(self, *, force: bool) -> str:
        """Ask the stable-token API for the token and share it through the cache."""
        body = {
            "grant_type": "client_credential",
            "appid": self.app_id,
            "secret": self._secret,
            "force_refresh": force,
        }
        answer = self._request(f"{self.api_base}/cgi-bin/stable_token", body)
        errcode = _errcode(answer)
        if errcode:
            error = error_for(errcode, str(answer.get("errmsg", "")))
            logger.error("fetching the access_token failed: %s", error)
            raise error
        try:
            token, expires_in = str(answer["access_token"]), int(answer["expires_in"])
        except (KeyError, TypeError, ValueError):
            raise TransientWeChatError(0, _("微信 access_token 接口返回了无法识别的应答")) from None
        self.cache.set(
            self._token_key,
            {"token": token, "expires_at": time.time() + expires_in},
            timeout=max(1, expires_in - EXPIRY_MARGIN),
        )
        logger.info("access_token fetched (forced: %s), valid for %d s", force, expires_in)
        return token

    def _try_lock(self) -> str | None:
        owner = uuid.uuid4().hex
        return owner if self.cache.add(self._lock_key, owner, timeout=LOCK_TIMEOUT) else None

    def _wait_for_lock(self) -> str | None:
        """The lock, waiting up to LOCK_WAIT for another process's renewal; None after that:
        the caller goes on without it (see `access_token` for why that is safe)."""
        deadline = time.monotonic() + LOCK_WAIT
        while not (lock := self._try_lock()):
            if time.monotonic() >= deadline:
                return None
            time.sleep(LOCK_POLL)
        return lock

    def _unlock(self, lock: str | None) -> None:
        if lock and self.cache.get(self._lock_key) == lock:
            self.cache.delete(self._lock_key)

    # HTTP

    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _post(self, path: str, payload: dict, token: str) -> dict:
        answer = self._request(f"{self.api_base}{path}", payload, token)
        errcode = _errcode(answer)
        if errcode in TOKEN_ERRORS:
            raise _TokenRefused(errcode, str(answer.get("errmsg", "")))
        if errcode:
            raise error_for(errcode, str(answer.get("errmsg", "")))
        return answer

    def _request(self, url: str, payload: dict, token: str | None = None) -> dict:
        """POST JSON (UTF-8, not \\u-escaped: WeChat shows escapes in menus as they are);
        the parsed answer, or a `WeChatError` for what never became one."""
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            response = self._session.post(
                url,
                params={"access_token": token} if token else None,
                data=data,
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=self.timeout,
            )
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as error:
            raise PermanentWeChatError(0, _("微信接口地址无效：%s") % self.api_base) from error
        except requests.ConnectTimeout as error:
            raise TransientWeChatError(0, _("连接微信接口超时")) from error
        except requests.Timeout as error:
            raise TransientWeChatError(
                0, _("微信接口应答超时，可能已受理"), maybe_accepted=True
            ) from error
        except requests.ConnectionError as error:
            # Refused before sending, or dropped after it: only the latter may follow an
            # acceptance.
            dropped = bool(error.args) and isinstance(error.args[0], ProtocolError)
            raise TransientWeChatError(
                0, _("与微信接口通信失败"), maybe_accepted=dropped
            ) from error
        except requests.RequestException as error:
            raise TransientWeChatError(0, _("与微信接口通信失败"), maybe_accepted=True) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientWeChatError(0, _("微信接口暂时不可用（HTTP %s）") % response.status_code)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            message = _("微信接口返回了无法识别的应答（HTTP %s）") % response.status_code
            if response.status_code < 400:
                raise TransientWeChatError(0, message)
            raise PermanentWeChatError(0, message)
        return answer


def _errcode(answer: dict) -> int:
    try:
        return int(answer.get("errcode") or 0)
    except (TypeError, ValueError):
        return -1  # unreadable: treat as WeChat's "system busy"
