"""Incoming message XML parsed safely (no DTD, no entity, no network, a size limit) and replies
built so that no content can break out of its CDATA section."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from standins.wechat_callback import WeChatCallbackClient
from wechat import CallbackRejected
from wechat.crypto import MessageCrypto
from wechat.messages import (
    MAX_BODY_BYTES,
    IncomingMessage,
    cdata,
    encrypted_envelope,
    parse_message,
    text_reply,
)

WECHAT = WeChatCallbackClient("token", "wx-app", account_id="gh_account")
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE xml ['
    + b'<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><xml><Content>&lol9;</Content></xml>"
)


@pytest.fixture
def http_server():
    """A local server recording every request: an external entity must never reach it."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"LEAKED")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_a_text_message_is_read():
    body = WECHAT.text(
        "oFollower0001xyz", "查询", msg_id=6054768590064713728, create_time=1700000000
    )
    message = parse_message(body.body)
    assert message == IncomingMessage(
        to_user="gh_account",
        from_user="oFollower0001xyz",
        create_time=1700000000,
        msg_type="text",
        content="查询",
        event="",
        event_key="",
        msg_id="6054768590064713728",
        encrypt="",
        status="",
    )
    assert message.dedup_key == "msg:6054768590064713728"


def test_an_event_is_read_and_deduplicated_by_sender_and_time():
    body = WECHAT.event("oFollower0001xyz", "subscribe", "qrscene_C0042", create_time=1700000001)
    message = parse_message(body.body)
    assert (message.msg_type, message.event, message.event_key) == (
        "event",
        "subscribe",
        "qrscene_C0042",
    )
    assert message.dedup_key == "event:oFollower0001xyz:1700000001:subscribe:qrscene_C0042"


def test_an_encrypted_envelope_is_read():
    safe = WeChatCallbackClient("token", "wx-app", "a" * 43, account_id="gh_account")
    message = parse_message(safe.text("oFollower0001xyz", "hi", mode="safe").body)
    assert message.to_user == "gh_account" and message.encrypt and not message.from_user


def test_an_entity_expansion_bomb_is_refused():
    with pytest.raises(CallbackRejected, match="DTD"):
        parse_message(BILLION_LAUGHS)


def test_an_external_entity_is_neither_read_nor_fetched(tmp_path, http_server):
    base, requests = http_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    for entity in (secret.as_uri(), f"{base}/payload"):
        body = (
            f'<!DOCTYPE xml [<!ENTITY xxe SYSTEM "{entity}">]><xml><Content>&xxe;</Content></xml>'
        )
        with pytest.raises(CallbackRejected) as refused:
            parse_message(body.encode())
        assert "TOP-SECRET-42" not in str(refused.value)
    assert requests == []


def test_a_doctype_hidden_from_the_byte_scan_is_refused_by_the_parser():
    """In UTF-16 the bytes of "<!DOCTYPE" are interleaved with zeros."""
    body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE xml SYSTEM "x.dtd"><xml/>'
    with pytest.raises(CallbackRejected, match="DTD"):
        parse_message(body.encode("utf-16"))


def test_an_oversized_body_is_refused_before_parsing():
    padding = "x" * MAX_BODY_BYTES
    with pytest.raises(CallbackRejected, match="过大"):
        parse_message(f"<xml><Content>{padding}</Content></xml>".encode())
    assert parse_message(f"<xml><Content>{'x' * 60_000}</Content></xml>".encode()).content


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<xml><Content>unclosed</xml>", "格式"),
        (b"", "格式"),
        (b"not xml at all", "格式"),
        (b"<root><Content>x</Content></root>", "根元素"),
        (b"<xml><CreateTime>yesterday</CreateTime></xml>", "CreateTime"),
    ],
)
def test_malformed_messages_are_refused_with_the_reason(body, reason):
    with pytest.raises(CallbackRejected, match=reason):
        parse_message(body)


def test_cdata_cannot_be_closed_early():
    hostile = "a]]><injected/>b\x00\x07c"
    reply = text_reply("oFollower0001xyz", "gh_account", hostile, 1700000000)
    message = parse_message(reply.encode())
    assert message.content == "a]]><injected/>bc"  # XML-illegal controls dropped, the rest kept
    assert message.to_user == "oFollower0001xyz" and message.from_user == "gh_account"
    assert message.msg_type == "text" and message.create_time == 1700000000
    assert cdata("]]>]]>") == "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>"


def test_the_encrypted_envelope_is_what_wechat_reads():
    safe = WeChatCallbackClient("token", "wx-app", "b" * 43)
    crypto = MessageCrypto("token", "b" * 43, "wx-app")
    reply = text_reply("oFollower0001xyz", "gh_account", "已绑定：星宇小区", 1700000000)
    encrypt, msg_signature = crypto.encrypt_reply(reply, "1700000000", "5150")
    envelope = encrypted_envelope(encrypt, msg_signature, "1700000000", "5150")
    assert safe.open_reply(envelope.encode()) == reply
    with pytest.raises(ValueError, match="MsgSignature"):
        safe.open_reply(envelope.replace(msg_signature, "0" * 40).encode())
