"""`/wechat/`: the endpoint WeChat's servers call for the 公众号.

GET is the server check (echostr, with the signature). POST carries a follower's message or
event, in plaintext or in 安全模式 (AES, msg_signature). Every request is checked before any
work: the signature, the timestamp within the replay window, the body's size and form
(`wechat.messages`); a request seen before (same nonce, or the same MsgId / event, which WeChat
resends three times when an answer takes over 5 seconds) is answered "success" and changes
nothing. The answer, a text reply, is built in the request: a few indexed queries, well within
WeChat's 5 seconds."""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

import wechat
from alerts.followers import conversation
from core import ratelimit
from wechat import crypto, messages, replay

logger = logging.getLogger(__name__)

SUCCESS = "success"  # WeChat's "received, nothing to say"


def _plain(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@csrf_exempt  # called by WeChat's servers, authenticated by the signature instead
@ratelimit.limit_posts("wechat-ip", 600, 60, gettext_lazy("请求太频繁，请稍后再试。"))
@require_http_methods(["GET", "POST"])
def callback(request):
    if not wechat.is_configured():
        raise Http404
    query = request.GET
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    try:
        crypto.check_signature(settings.WECHAT_TOKEN, query.get("signature", ""), timestamp, nonce)
    except wechat.CallbackRejected:
        return HttpResponseForbidden("signature")
    if request.method == "GET":
        return _plain(query.get("echostr", ""))
    encrypted = query.get("encrypt_type") == "aes"
    try:
        replay.check_timestamp(timestamp)
        if int(request.META.get("CONTENT_LENGTH") or 0) > messages.MAX_BODY_BYTES:
            raise wechat.CallbackRejected("body too big")
        message = messages.parse_message(request.body)
        if encrypted:
            box = _crypto()
            opened = box.decrypt(query.get("msg_signature", ""), timestamp, nonce, message.encrypt)
            message = messages.parse_message(opened.encode())
    except (wechat.CallbackRejected, ValueError) as exc:
        logger.warning("WeChat callback refused: %s", exc)
        return HttpResponseBadRequest("invalid")
    with transaction.atomic():
        # Recorded as seen in the transaction of the work: a crash in between leaves both
        # undone, and WeChat's next try is handled.
        if not (replay.nonce_is_new(timestamp, nonce) and replay.message_is_new(message)):
            return _plain(SUCCESS)
        text = conversation.answer(message, request)
    if not text:
        return _plain(SUCCESS)
    reply = messages.text_reply(message.from_user, message.to_user, text, int(time.time()))
    if encrypted:
        encrypt, signature = box.encrypt_reply(reply, timestamp, nonce)
        reply = messages.encrypted_envelope(encrypt, signature, timestamp, nonce)
    return HttpResponse(reply, content_type="application/xml; charset=utf-8")


def _crypto() -> crypto.MessageCrypto:
    if not settings.WECHAT_ENCODING_AES_KEY:
        raise wechat.CallbackRejected("安全模式 without WECHAT_ENCODING_AES_KEY")
    return crypto.MessageCrypto(
        settings.WECHAT_TOKEN, settings.WECHAT_ENCODING_AES_KEY, settings.WECHAT_APP_ID
    )
