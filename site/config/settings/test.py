"""Test settings. The SQLite test database is a file named after a fingerprint of every
migration and the dependency lock, so `--reuse-db` reuses it until the schema really changes."""

import hashlib

from config.env import env_str

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, SITE_DIR, VAR_DIR

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "heating-test")
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}


def _schema_fingerprint() -> str:
    digest = hashlib.sha256()
    sources = sorted(SITE_DIR.glob("*/migrations/*.py"))
    sources.append(BASE_DIR / "requirements.lock")
    for path in sources:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_schema_fingerprint()}.sqlite3")}
