"""CSRF secrets and masks drawn from one call to the operating system's random source, and
masks applied by table.

Django draws each of the 32 characters of a CSRF secret, and of the mask that hides it in
every form, with its own `secrets.choice`: a page served from the page cache to a reader
without a CSRF cookie (a first visit) spent half of its time there (issue 19). Here the same
alphabet and length come from `secrets.token_bytes`, each byte taken only below the largest
multiple of the alphabet's size (rejection sampling), so every character stays uniform and
unpredictable. Installed once at start by core.apps; Django's checks of a token's format and
its comparisons are unchanged.

Masking a secret (each character shifted by the mask's character, modulo the alphabet) took
Django a generator step and two `str.index` per character, 35 µs of every such page; here
each pair of characters is looked up in a table built once (62 × 62 entries), with the same
result."""

import secrets

from django.middleware import csrf

_ALPHABET = csrf.CSRF_ALLOWED_CHARS
_LIMIT = 256 - 256 % len(_ALPHABET)  # bytes at or above it would favour the first characters
_TABLE = bytes(ord(_ALPHABET[byte % len(_ALPHABET)]) for byte in range(256))
_REJECTED = bytes(range(_LIMIT, 256))  # deleted by `translate` before the table applies


def new_csrf_string() -> str:
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, as Django's `_get_new_csrf_string`."""
    drawn = b""
    while len(drawn) < csrf.CSRF_SECRET_LENGTH:
        drawn += secrets.token_bytes(csrf.CSRF_SECRET_LENGTH + 8).translate(_TABLE, _REJECTED)
    return drawn[: csrf.CSRF_SECRET_LENGTH].decode()


_SHIFTED = {
    (secret, mask): _ALPHABET[(i + j) % len(_ALPHABET)]
    for i, secret in enumerate(_ALPHABET)
    for j, mask in enumerate(_ALPHABET)
}


def mask_cipher_secret(secret: str) -> str:
    """A new mask and the secret shifted by it, as Django's `_mask_cipher_secret`."""
    mask = new_csrf_string()
    return mask + "".join(map(_SHIFTED.__getitem__, zip(secret, mask, strict=True)))


def install() -> None:
    csrf._get_new_csrf_string = new_csrf_string
    csrf._mask_cipher_secret = mask_cipher_secret
