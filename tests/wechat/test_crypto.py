"""安全模式 and the callback signatures against WeChat's own published samples, round trips, and
every kind of tampering refused."""

import base64
import hashlib

import pytest

from standins.wechat_callback import WeChatCallbackClient
from wechat import CallbackRejected
from wechat.crypto import MessageCrypto, check_msg_signature, check_signature, signature

# The sample of WeChat's WXBizMsgCrypt (the 企业微信 / 公众平台 message-crypto SDKs' Sample
# programs): Token, EncodingAESKey and AppID (CorpID) as configured, then a callback received.
SAMPLE_TOKEN = "QDG6eK"
SAMPLE_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
SAMPLE_APP_ID = "wx5823bf96d3bd56c7"
SAMPLE_MESSAGE = {
    "msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6",
    "timestamp": "1409659813",
    "nonce": "1372623149",
    "encrypt": (
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc"
        "dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLj"
        "vd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMn"
        "vw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k"
        "22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2Yoy"
        "yH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
    ),
}
# The same SDKs' URL verification sample: the echostr decrypts to this.
SAMPLE_VERIFY = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    "timestamp": "1409659589",
    "nonce": "263014780",
    "encrypt": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
}
# The 公众平台 Java SDK's test: a fixed random prefix makes the cipher text reproducible.
JAVA_SAMPLE = {
    "key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "app_id": "wxb11529c136998cb6",
    "random": b"aaaabbbbccccdddd",
    "message": "我是中文abcd123",
    "encrypt": "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
}


@pytest.fixture
def sample():
    return MessageCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_APP_ID)


def test_the_published_sample_message_decrypts(sample):
    message = sample.decrypt(**SAMPLE_MESSAGE)
    assert message.startswith("<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>")
    assert "<Content><![CDATA[hello]]></Content>" in message
    assert "<MsgId>4561255354251345929</MsgId>" in message


def test_the_published_verification_sample_decrypts(sample):
    assert sample.decrypt(**SAMPLE_VERIFY) == "1616140317555161061"


def test_the_published_cipher_text_is_reproduced():
    crypto = MessageCrypto("pamtest", JAVA_SAMPLE["key"], JAVA_SAMPLE["app_id"])
    sealed = crypto.seal(JAVA_SAMPLE["message"], random_prefix=JAVA_SAMPLE["random"])
    assert sealed == JAVA_SAMPLE["encrypt"]
    assert crypto.open(sealed) == JAVA_SAMPLE["message"]


def test_the_callback_signature_is_sha1_of_the_sorted_parts():
    by_hand = hashlib.sha1(b"13726231491409659813QDG6eK").hexdigest()  # noqa: S324
    assert signature(SAMPLE_TOKEN, "1409659813", "1372623149") == by_hand
    given = signature(SAMPLE_TOKEN, "1409659813", "1372623149")
    check_signature(SAMPLE_TOKEN, given, "1409659813", "1372623149")
    check_signature(SAMPLE_TOKEN, given.upper(), "1409659813", "1372623149")
    with pytest.raises(CallbackRejected):
        check_signature("other-token", given, "1409659813", "1372623149")


@pytest.mark.parametrize(
    "change",
    [
        {"msg_signature": "0" * 40},
        {"timestamp": "1409659814"},
        {"nonce": "1372623150"},
        {"msg_signature": ""},
    ],
)
def test_a_changed_signature_timestamp_or_nonce_is_refused(sample, change):
    with pytest.raises(CallbackRejected, match="签名"):
        sample.decrypt(**{**SAMPLE_MESSAGE, **change})


def test_a_tampered_cipher_text_is_refused_before_decryption(sample):
    sealed = bytearray(base64.b64decode(SAMPLE_MESSAGE["encrypt"]))
    sealed[40] ^= 1
    tampered = base64.b64encode(bytes(sealed)).decode()
    with pytest.raises(CallbackRejected, match="签名"):
        sample.decrypt(**{**SAMPLE_MESSAGE, "encrypt": tampered})


@pytest.mark.parametrize(
    "encrypt",
    [
        "not base64!",
        base64.b64encode(b"x" * 31).decode(),  # not whole blocks
        base64.b64encode(b"x" * 64).decode(),  # garbage: bad padding or length
        "",
    ],
)
def test_cipher_text_that_is_not_a_sealed_message_is_refused(sample, encrypt):
    """Correctly signed, so only the decryption itself can refuse it."""
    msg_signature = signature(SAMPLE_TOKEN, "1", "2", encrypt)
    with pytest.raises(CallbackRejected, match="无法解密"):
        sample.decrypt(msg_signature, "1", "2", encrypt)


def test_a_message_sealed_for_another_app_id_is_refused(sample):
    other = MessageCrypto(SAMPLE_TOKEN, SAMPLE_KEY, "wx0000000000000000")
    sealed = other.seal("<xml/>")
    with pytest.raises(CallbackRejected, match="AppID"):
        sample.open(sealed)


def test_round_trips_through_the_independent_callback_client(sample):
    """The stand-in's WeChat side (written apart) and ours read each other's sealed messages."""
    wechat = WeChatCallbackClient(SAMPLE_TOKEN, SAMPLE_APP_ID, SAMPLE_KEY)
    text = "<xml><Content><![CDATA[停热查询 ]]]]><![CDATA[> 😀]]></Content></xml>"
    assert sample.open(wechat.encrypt(text)) == text
    encrypt, msg_signature = sample.encrypt_reply(text, "1700000000", "42")
    check_msg_signature(SAMPLE_TOKEN, msg_signature, "1700000000", "42", encrypt)
    assert wechat.decrypt(encrypt) == text
    assert sample.seal(text) != sample.seal(text)  # a fresh random prefix each time


@pytest.mark.parametrize("key", ["short", "!" * 43, SAMPLE_KEY + "A"])
def test_a_malformed_encoding_aes_key_is_refused_at_once(key):
    with pytest.raises(ValueError, match="EncodingAESKey"):
        MessageCrypto(SAMPLE_TOKEN, key, SAMPLE_APP_ID)
