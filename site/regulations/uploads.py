"""Uploaded files waiting between the admin's preview and its confirmation. The bytes stay on
the server (VAR_DIR/regulation-uploads, one random name per upload); the browser only carries
a signed token naming that file and the user, so it can neither point at another path nor use
someone else's upload. Tokens expire after MAX_AGE, and older files are swept away."""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core import signing

MAX_AGE = 60 * 60  # seconds
SALT = "regulations.upload"
NAME = re.compile(r"[0-9a-f]{32}")


class UploadExpired(Exception):
    pass


def _directory() -> Path:
    directory = Path(settings.VAR_DIR) / "regulation-uploads"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def stash(data: bytes, *, filename: str, user) -> str:
    _sweep()
    name = secrets.token_hex(16)
    path = _directory() / name
    path.touch(mode=0o600)
    path.write_bytes(data)
    return signing.dumps({"file": name, "name": filename, "user": user.pk}, salt=SALT)


def fetch(token: str, *, user) -> tuple[bytes, str]:
    """The stashed bytes and original file name; UploadExpired if gone, forged or not yours."""
    path, payload = _resolve(token, user)
    try:
        return path.read_bytes(), payload["name"]
    except OSError:
        raise UploadExpired from None


def discard(token: str, *, user) -> None:
    try:
        path, _ = _resolve(token, user)
    except UploadExpired:
        return
    path.unlink(missing_ok=True)


def _resolve(token: str, user) -> tuple[Path, dict]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise UploadExpired from None
    if payload.get("user") != user.pk or not NAME.fullmatch(str(payload.get("file", ""))):
        raise UploadExpired
    return _directory() / payload["file"], payload


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE
    for path in _directory().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
