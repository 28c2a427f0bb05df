"""The callback's signatures and 安全模式 (AES) encryption, as WeChat's WXBizMsgCrypt does them.

- Every callback carries `signature` = SHA1 of the sorted [Token, timestamp, nonce], joined.
- In 安全模式 a POST also carries `msg_signature` = SHA1 of the sorted [Token, timestamp, nonce,
  Encrypt], and its body holds only `Encrypt`: base64 of AES-256-CBC (key = base64decode(
  EncodingAESKey + "="), iv = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks) over
  16 random bytes + the message's length (4 bytes, big-endian) + the message + the AppID. A
  reply is sealed the same way, under a msg_signature of our own.

Signatures are compared in constant time, checked before anything is decrypted (so a forged
body never reaches the cipher), and a decrypted message must name our AppID.
"""

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.utils.translation import gettext as _

from .errors import CallbackRejected

AES_KEY_CHARACTERS = 43
BLOCK = 32  # WeChat pads to 32-byte blocks (PKCS#7 with AES's 16 would not decrypt there)
RANDOM_PREFIX = 16


def signature(*parts: str) -> str:
    """SHA1 (hex) of the parts sorted and joined: `signature(token, timestamp, nonce)` for
    every callback, `signature(token, timestamp, nonce, encrypt)` for 安全模式's msg_signature."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 (WeChat's)


def check_signature(token: str, given: str, timestamp: str, nonce: str) -> None:
    """The callback's `signature` query parameter; CallbackRejected when it does not match."""
    _check(signature(token, timestamp, nonce), given)


def check_msg_signature(token: str, given: str, timestamp: str, nonce: str, encrypt: str) -> None:
    """安全模式's `msg_signature` over the body's Encrypt; CallbackRejected when it does not
    match."""
    _check(signature(token, timestamp, nonce, encrypt), given)


def _check(expected: str, given: str) -> None:
    if not hmac.compare_digest(expected.encode(), (given or "").lower().encode()):
        raise CallbackRejected(_("微信回调签名不正确"))


class MessageCrypto:
    """安全模式 for one 公众号: `decrypt` what WeChat sends, `encrypt_reply` what we answer."""

    def __init__(self, token: str, encoding_aes_key: str, app_id: str):
        if len(encoding_aes_key) != AES_KEY_CHARACTERS:
            raise ValueError(f"an EncodingAESKey has {AES_KEY_CHARACTERS} characters")
        try:
            self._key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error:
            raise ValueError("an EncodingAESKey is base64 (A-Z, a-z, 0-9)") from None
        self.token = token
        self.app_id = app_id

    def decrypt(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        """The message sealed in `encrypt` once its msg_signature is checked; CallbackRejected
        when the signature, the cipher text, the padding or the AppID is wrong."""
        check_msg_signature(self.token, msg_signature, timestamp, nonce, encrypt)
        return self.open(encrypt)

    def open(self, encrypt: str) -> str:
        """The message sealed in `encrypt` (no signature check: `decrypt` does both)."""
        refused = CallbackRejected(_("微信加密消息无法解密"))
        try:
            sealed = base64.b64decode(encrypt, validate=True)
        except binascii.Error:
            raise refused from None
        if not sealed or len(sealed) % BLOCK:
            raise refused
        decryptor = self._cipher().decryptor()
        padded = decryptor.update(sealed) + decryptor.finalize()
        pad = padded[-1]
        if not 1 <= pad <= BLOCK or padded[-pad:] != bytes([pad]) * pad:
            raise refused
        plain = padded[:-pad]
        if len(plain) < RANDOM_PREFIX + 4:
            raise refused
        (length,) = struct.unpack(">I", plain[RANDOM_PREFIX : RANDOM_PREFIX + 4])
        start = RANDOM_PREFIX + 4
        message, app_id = plain[start : start + length], plain[start + length :]
        if len(message) != length:
            raise refused
        if not hmac.compare_digest(app_id, self.app_id.encode()):
            raise CallbackRejected(_("微信加密消息的 AppID 与本公众号不符"))
        try:
            return message.decode()
        except UnicodeDecodeError:
            raise refused from None

    def seal(self, message: str, *, random_prefix: bytes | None = None) -> str:
        """`message` encrypted for WeChat (base64). `random_prefix`: 16 bytes, only for tests
        that reproduce a published vector; otherwise fresh random bytes."""
        prefix = os.urandom(RANDOM_PREFIX) if random_prefix is None else random_prefix
        if len(prefix) != RANDOM_PREFIX:
            raise ValueError(f"the random prefix has {RANDOM_PREFIX} bytes")
        body = message.encode()
        plain = prefix + struct.pack(">I", len(body)) + body + self.app_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        encryptor = self._cipher().encryptor()
        sealed = encryptor.update(plain + bytes([pad]) * pad) + encryptor.finalize()
        return base64.b64encode(sealed).decode()

    def encrypt_reply(self, reply: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """(Encrypt, MsgSignature) of a passive reply, for `messages.encrypted_envelope`."""
        encrypt = self.seal(reply)
        return encrypt, signature(self.token, timestamp, nonce, encrypt)

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))
