"""Callback requests as WeChat's servers send them to a 公众号's server URL (`/wechat/`), for the
tests of the callback view: signed, in plaintext, compatible or 安全模式, and repeatable
(WeChat retries a message it got no answer to within five seconds, three times, unchanged).

    wechat = WeChatCallbackClient(token, app_id, encoding_aes_key)
    request = wechat.text("o-follower-1", "查询", mode="safe")
    response = client.post(request.path(), request.body, content_type="text/xml")
    reply = wechat.open_reply(response.content)   # the passive reply, decrypted and checked

Written apart from the site's wechat.crypto on purpose (like the Aliyun stand-in's signature), so
a shared mistake cannot make both agree. Needs `cryptography` for 安全模式.
"""

import base64
import hashlib
import hmac
import itertools
import os
import re
import secrets
import struct
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MODES = ("plaintext", "compatible", "safe")


@dataclass(frozen=True)
class CallbackRequest:
    method: str  # "GET" (server URL verification) or "POST" (a message or event)
    query: dict[str, str]
    body: bytes = b""

    def path(self, base: str = "/wechat/") -> str:
        return f"{base}?{urlencode(self.query)}"


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 (WeChat's)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class WeChatCallbackClient:
    """Builds the requests WeChat would send to one 公众号 (its Token, AppID, EncodingAESKey)."""

    def __init__(
        self,
        token: str,
        app_id: str,
        encoding_aes_key: str = "",
        *,
        account_id: str = "gh_0123456789ab",
    ):
        """`account_id`: the 公众号's original id (ToUserName of every message)."""
        self.token = token
        self.app_id = app_id
        self.account_id = account_id
        self._key = base64.b64decode(encoding_aes_key + "=") if encoding_aes_key else b""
        self._msg_ids = itertools.count(24_000_000_000_000_000)

    # Requests

    def verification(self, echostr: str = "", *, timestamp=None, nonce=None) -> CallbackRequest:
        """The GET WeChat sends when the server URL is saved: answered with `echostr` when the
        signature is right."""
        timestamp, nonce = self._stamp(timestamp, nonce)
        query = {
            "signature": sha1_signature(self.token, timestamp, nonce),
            "echostr": echostr or str(secrets.randbelow(10**19)),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        return CallbackRequest("GET", query)

    def text(
        self, openid: str, content: str, *, msg_id=None, create_time=None, mode="plaintext", **kw
    ) -> CallbackRequest:
        """A text message from `openid`; `msg_id` defaults to a fresh one."""
        msg_id = msg_id if msg_id is not None else next(self._msg_ids)
        xml = self.message_xml(openid, "text", create_time, Content=content, MsgId=str(msg_id))
        return self.request(xml, openid, mode=mode, **kw)

    def event(
        self,
        openid: str,
        event: str,
        event_key: str = "",
        *,
        create_time=None,
        mode="plaintext",
        **kw,
    ) -> CallbackRequest:
        """An event (subscribe, unsubscribe, SCAN, CLICK, ...) from `openid`."""
        fields = {"Event": event}
        if event_key:
            fields["EventKey"] = event_key
        xml = self.message_xml(openid, "event", create_time, **fields)
        return self.request(xml, openid, mode=mode, **kw)

    def message_xml(self, openid: str, msg_type: str, create_time=None, **fields: str) -> str:
        created = int(create_time if create_time is not None else time.time())
        parts = [
            f"<ToUserName>{_cdata(self.account_id)}</ToUserName>",
            f"<FromUserName>{_cdata(openid)}</FromUserName>",
            f"<CreateTime>{created}</CreateTime>",
            f"<MsgType>{_cdata(msg_type)}</MsgType>",
        ]
        for name, value in fields.items():
            value = value if name == "MsgId" else _cdata(value)
            parts.append(f"<{name}>{value}</{name}>")
        return "<xml>" + "".join(parts) + "</xml>"

    def request(
        self, xml: str | bytes, openid: str, *, mode="plaintext", timestamp=None, nonce=None
    ) -> CallbackRequest:
        """POST `xml` as WeChat would in `mode`: "plaintext"; "compatible" (the plain fields and
        Encrypt side by side); "safe" (安全模式: only ToUserName and Encrypt)."""
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        timestamp, nonce = self._stamp(timestamp, nonce)
        xml = xml if isinstance(xml, str) else xml.decode()
        query = {
            "signature": sha1_signature(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "openid": openid,
        }
        if mode == "plaintext":
            return CallbackRequest("POST", query, xml.encode())
        encrypt = self.encrypt(xml)
        query["encrypt_type"] = "aes"
        query["msg_signature"] = sha1_signature(self.token, timestamp, nonce, encrypt)
        if mode == "safe":
            body = f"<xml><ToUserName>{_cdata(self.account_id)}</ToUserName>"
        else:
            body = xml.removesuffix("</xml>")
        body += f"<Encrypt>{_cdata(encrypt)}</Encrypt></xml>"
        return CallbackRequest("POST", query, body.encode())

    # 安全模式

    def encrypt(self, message: str) -> str:
        if not self._key:
            raise ValueError("安全模式 needs the EncodingAESKey")
        body = message.encode()
        plain = os.urandom(16) + struct.pack(">I", len(body)) + body + self.app_id.encode()
        pad = 32 - len(plain) % 32
        encryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).encryptor()
        return base64.b64encode(
            encryptor.update(plain + bytes([pad] * pad)) + encryptor.finalize()
        ).decode()

    def decrypt(self, encrypt: str) -> str:
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).decryptor()
        plain = decryptor.update(base64.b64decode(encrypt)) + decryptor.finalize()
        plain = plain[: -plain[-1]]
        (length,) = struct.unpack(">I", plain[16:20])
        if plain[20 + length :] != self.app_id.encode():
            raise ValueError("the reply is sealed for another AppID")
        return plain[20 : 20 + length].decode()

    def open_reply(self, body: bytes) -> str:
        """A passive reply as WeChat reads it: a plaintext reply as it is; an encrypted
        envelope checked (its MsgSignature) and decrypted. "" and "success" mean no reply."""
        text = body.decode()
        if "<Encrypt>" not in text:
            return text

        def field(name: str) -> str:
            found = re.search(rf"<{name}>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))</{name}>", text, re.S)
            if not found:
                raise ValueError(f"the encrypted reply has no {name}")
            return found.group(1) if found.group(1) is not None else found.group(2)

        encrypt = field("Encrypt")
        expected = sha1_signature(self.token, field("TimeStamp"), field("Nonce"), encrypt)
        if not hmac.compare_digest(expected, field("MsgSignature")):
            raise ValueError("the encrypted reply's MsgSignature is wrong")
        return self.decrypt(encrypt)

    @staticmethod
    def _stamp(timestamp, nonce) -> tuple[str, str]:
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        return timestamp, str(nonce if nonce is not None else secrets.randbelow(10**10))
