"""The WeChat API's failures as the kinds a caller acts on differently.

- `NotFollowingError` (43004): the follower has unsubscribed; their binding ends, never retry.
- `TransientWeChatError`: rate limit (45009), system busy (-1), network errors, timeouts,
  HTTP 5xx: retry later. `maybe_accepted` is True when the request was sent and the answer
  never came (a read timeout, a dropped connection): WeChat may have delivered it.
- `PermanentWeChatError`: can never succeed as configured (bad AppID or AppSecret, the server's
  IP not whitelisted, a wrong template id) or for this request: record it, tell staff.

A callback WeChat (or someone posing as it) sends that fails a check raises `CallbackRejected`.

Messages are shown to staff and logged: they never contain an openid, the AppSecret or a token.
"""

from django.utils.translation import gettext_lazy as _

# access_token refused: invalid (40001, 40014) or expired (42001). The client renews the token
# once and repeats the call; only a second refusal reaches the caller.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
NOT_FOLLOWING = 43004
TRANSIENT_ERRORS = frozenset({-1, 45009})

# What staff read for the codes they can act on; any other code shows WeChat's own errmsg.
_EXPLANATIONS = {
    -1: _("微信系统繁忙，稍后重试"),
    40001: _("access_token 无效"),
    40013: _("AppID 无效，请检查 WECHAT_APP_ID"),
    40014: _("access_token 不合法"),
    40037: _("模板消息的模板 ID 无效，请检查 WECHAT_TEMPLATE_ID"),
    40125: _("AppSecret 无效，请检查 WECHAT_APP_SECRET"),
    40164: _("服务器 IP 不在公众号的 IP 白名单中"),
    42001: _("access_token 已过期"),
    43004: _("用户未关注公众号"),
    45009: _("接口调用超过频率限制"),
}


class WeChatError(Exception):
    """A failed WeChat API call: `errcode` (0 when WeChat gave none, e.g. a timeout) and
    `errmsg` (WeChat's, or ours), neither carrying an openid."""

    def __init__(self, errcode: int = 0, errmsg: str = ""):
        self.errcode = errcode
        self.errmsg = errmsg
        explanation = str(_EXPLANATIONS.get(errcode, ""))
        text = f"{explanation}（{errmsg}）" if explanation and errmsg else explanation or errmsg
        super().__init__(f"[{errcode}] {text}" if errcode else text)


class NotFollowingError(WeChatError):
    """43004: the recipient no longer follows the 公众号. Their binding ends; never retried."""


class TransientWeChatError(WeChatError):
    """Retry later. `maybe_accepted`: the request reached WeChat and its answer was lost, so it
    may have been carried out (a template message delivered)."""

    def __init__(self, errcode: int = 0, errmsg: str = "", *, maybe_accepted: bool = False):
        super().__init__(errcode, errmsg)
        self.maybe_accepted = maybe_accepted


class PermanentWeChatError(WeChatError):
    """Never succeeds as configured or for this request: credentials (40013, 40125), the IP
    whitelist (40164), the template (40037), and every code not classified otherwise."""


def error_for(errcode: int, errmsg: str = "") -> WeChatError:
    """The exception for a nonzero errcode of a WeChat answer. A token error reaching here was
    refused again after renewal: transient, a later attempt gets a fresh token."""
    if errcode == NOT_FOLLOWING:
        return NotFollowingError(errcode, errmsg)
    if errcode in TRANSIENT_ERRORS or errcode in TOKEN_ERRORS:
        return TransientWeChatError(errcode, errmsg)
    return PermanentWeChatError(errcode, errmsg)


class CallbackRejected(ValueError):
    """A callback refused by a check (signature, decryption, XML, replay): the message (Chinese)
    says which check, never what the request held."""
