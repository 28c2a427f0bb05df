from django.apps import AppConfig


class WechatConfig(AppConfig):
    """The WeChat 公众号 (service account) platform every feature reaches followers through:
    the API client, the callback's signatures and 安全模式 crypto, safe message XML, replay
    protection and QR images. Imports no app (docs/wechat.md)."""

    name = "wechat"
    verbose_name = "微信公众号"
