"""The files imports read, kept between the request that uploaded them and the job that reads
them: VAR_DIR/import-jobs, a directory only the site's user may enter, one random name per
file (mode 0600). The job row holds only that name, never a path; the web server never serves
the directory. A file is removed when its job ends (a preview's when the import it led to
ends), and anything older than MAX_AGE is swept away."""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 60 * 60  # seconds
NAME = re.compile(r"[0-9a-f]{32}")


class UploadMissing(Exception):
    pass


def directory() -> Path:
    path = Path(settings.VAR_DIR) / "import-jobs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def store(data: bytes) -> str:
    _sweep()
    name = secrets.token_hex(16)
    path = directory() / name
    path.touch(mode=0o600)
    path.write_bytes(data)
    return name


def read(name: str) -> bytes:
    try:
        return _path(name).read_bytes()
    except OSError:
        raise UploadMissing from None


def discard(name: str) -> None:
    if NAME.fullmatch(name or ""):
        _path(name).unlink(missing_ok=True)


def _path(name: str) -> Path:
    if not NAME.fullmatch(name or ""):
        raise UploadMissing
    return directory() / name


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE
    for path in directory().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
