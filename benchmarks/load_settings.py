"""Settings of benchmarks/load.py without PostgreSQL and Redis: the site served the way
config.settings.production serves it (DEBUG off, WhiteNoise right after the security middleware,
hashed and compressed static files, the Content-Security-Policy of base) on the embedded
SQLite database and the default cache, which production itself refuses. With --database-url
and --redis-url the load script uses config.settings.production instead."""

from config.env import env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE, STORAGES

SECRET_KEY = env_str("SECRET_KEY", "benchmark-only-key")
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
