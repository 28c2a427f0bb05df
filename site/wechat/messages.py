"""The XML of the callback: incoming messages parsed safely, passive replies built.

What comes in is untrusted until its signature is checked, and the XML parser is an attack
surface of its own, so `parse_message`:

- refuses a body over MAX_BODY_BYTES before parsing it (WeChat's messages are a few hundred
  bytes; 安全模式 roughly doubles them);
- refuses any DOCTYPE, hence any entity declaration (XXE, entity expansion): WeChat sends
  none, so there is no legitimate use for one;
- parses with lxml told never to load a DTD, expand an entity or touch the network.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from core.xml_safety import safe_parser

from .errors import CallbackRejected

MAX_BODY_BYTES = 64 * 1024
_FIELDS = {
    "to_user": "ToUserName",
    "from_user": "FromUserName",
    "msg_type": "MsgType",
    "content": "Content",
    "event": "Event",
    "event_key": "EventKey",
    "msg_id": "MsgId",
    "encrypt": "Encrypt",
    "status": "Status",
}
# Characters XML 1.0 cannot carry at all (C0 controls but tab, CR, LF; lone surrogates; FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class IncomingMessage:
    """One callback body. Absent fields are "" (0 for create_time): an encrypted envelope
    holds only to_user and encrypt; an event has event (and event_key), a message msg_id.
    `from_user` is the follower's openid: personal data (mask it, `wechat.mask_openid`)."""

    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    content: str
    event: str
    event_key: str
    msg_id: str
    encrypt: str
    status: str  # TEMPLATESENDJOBFINISH: "success", "failed:user block", "failed: system failed"

    @property
    def dedup_key(self) -> str:
        """What identifies this message across WeChat's retries (three, five seconds apart):
        its MsgId; an event has none, so its sender and CreateTime (WeChat's advice) and the
        event itself: a follower who scans and unfollows within one second sends two."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.from_user}:{self.create_time}:{self.event}:{self.event_key}"


def parse_message(body: bytes) -> IncomingMessage:
    """The message in `body`; CallbackRejected when it is too big, declares a DOCTYPE, is not
    well-formed or is not a WeChat <xml> message."""
    if len(body) > MAX_BODY_BYTES:
        raise CallbackRejected(_("微信消息过大"))
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise CallbackRejected(_("微信消息含有 DTD 声明，拒绝解析"))
    try:
        root = etree.fromstring(body, safe_parser(remove_comments=True, remove_pis=True))
    except (etree.XMLSyntaxError, ValueError):
        raise CallbackRejected(_("微信消息不是格式正确的 XML")) from None
    # The byte scan above misses a DOCTYPE in another encoding (UTF-16); the parser does not.
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CallbackRejected(_("微信消息含有 DTD 声明，拒绝解析"))
    if root.tag != "xml":
        raise CallbackRejected(_("微信消息的根元素不是 <xml>"))
    fields = {name: (root.findtext(tag) or "").strip() for name, tag in _FIELDS.items()}
    # Events about a template message name it MsgID, messages MsgId.
    fields["msg_id"] = fields["msg_id"] or (root.findtext("MsgID") or "").strip()
    create_time = (root.findtext("CreateTime") or "").strip()
    if create_time and not create_time.isdigit():
        raise CallbackRejected(_("微信消息的 CreateTime 不是数字"))
    return IncomingMessage(create_time=int(create_time or 0), **fields)


def cdata(text: str) -> str:
    """`text` as CDATA: a "]]>" inside is split across two sections, and characters XML cannot
    carry are dropped, so no content can end the section or break the document."""
    text = _NOT_XML.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, content: str, create_time: int) -> str:
    """A passive text reply: `to_user` is the follower's openid (the message's from_user),
    `from_user` the 公众号's id (the message's to_user)."""
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time)}</CreateTime>"
        f"<MsgType>{cdata('text')}</MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )


def encrypted_envelope(encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    """The 安全模式 reply: a sealed reply (`crypto.MessageCrypto.encrypt_reply`) with its
    signature, timestamp and nonce."""
    if not timestamp.isdigit():
        raise ValueError("the timestamp is a number of seconds")
    return (
        f"<xml><Encrypt>{cdata(encrypt)}</Encrypt>"
        f"<MsgSignature>{cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp>"
        f"<Nonce>{cdata(nonce)}</Nonce></xml>"
    )
