"""The WeChat 公众号 (service account) platform: what the callback view, the follower bindings
and the alerts' template-message channel build on (docs/wechat.md).

- `client.WeChatClient`: access_token, template messages, the custom menu, parametric QR codes;
  failures raise the `errors` classes the dispatcher acts on.
- `crypto`: callback signatures and 安全模式 (AES) encryption.
- `messages`: incoming message XML parsed safely, reply XML built.
- `replay`: timestamp window, nonce and message deduplication across processes.
- `qr`: QR code images drawn locally.

openids are personal data: never logged or shown in full (`mask_openid`).
"""

from django.conf import settings

from .errors import (
    CallbackRejected,
    NotFollowingError,
    PermanentWeChatError,
    TransientWeChatError,
    WeChatError,
    error_for,
)


def is_configured() -> bool:
    """Whether the 公众号 channel is on: AppID, AppSecret and Token all set. The
    EncodingAESKey is optional (without it the callback speaks plaintext mode only)."""
    return bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET and settings.WECHAT_TOKEN)


def mask_openid(openid: str) -> str:
    """'oia2TjjewbmiOUlr6X-1crbLOvLw' -> 'oia2****OvLw': the first and last 4 characters,
    enough to tell followers apart in logs and the admin, not to address one."""
    if len(openid) <= 8:
        return "*" * len(openid)
    return f"{openid[:4]}****{openid[-4:]}"


__all__ = [
    "CallbackRejected",
    "NotFollowingError",
    "PermanentWeChatError",
    "TransientWeChatError",
    "WeChatError",
    "error_for",
    "is_configured",
    "mask_openid",
]
