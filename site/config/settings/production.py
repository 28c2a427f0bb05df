"""Production (docs/deployment.md): PostgreSQL, Redis as cache and django-q2 broker, gunicorn
behind a TLS proxy (deploy/gunicorn.conf.py), static files served by WhiteNoise, HTTPS only.
Everything secret or site-specific comes from the environment (README, .env.example); the
settings refuse to load without what a production site cannot do without.

`manage.py check --deploy --fail-level WARNING` passes with these settings
(tests/config/test_production_settings.py), with one check silenced, below."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import DATABASES, MAP_TILE_URL, MIDDLEWARE, REDIS_URL, SECRET_KEY, STORAGES

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境必须通过环境变量提供。")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL 未设置或不是 PostgreSQL：生产环境必须使用 PostgreSQL，"
        "例如 postgres://用户:密码@主机:5432/heating。"
    )
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL 未设置：生产环境的缓存和后台任务队列（django-q2）必须使用 Redis，"
        "例如 redis://主机:6379/0。"
    )

DEBUG = False

# WhiteNoise serves /static/ from STATIC_ROOT (filled by collectstatic) right after the
# security middleware: hashed names (cached for ever by browsers and the proxy) and
# pre-compressed copies. Production only: development serves static files with runserver.
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto. Only the proxy may reach
# gunicorn (deploy/gunicorn.conf.py binds to 127.0.0.1 by default).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Off unless the domain's owner decides: with "preload" in the header anyone may submit the
# domain to the browsers' preload lists, which bind every subdomain to HTTPS and take months
# to leave. Hence security.W021 is silenced below.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No Referer to other sites, except the origin (never the path) to the map tile servers when
# there are any: Tianditu's browser keys are bound to the site's domain, checked on the
# Referer. SECURE_REFERRER_POLICY overrides either.
SECURE_REFERRER_POLICY = env_str(
    "SECURE_REFERRER_POLICY",
    "strict-origin-when-cross-origin" if MAP_TILE_URL else "same-origin",
)

SILENCED_SYSTEM_CHECKS = [
    "security.W021",  # SECURE_HSTS_PRELOAD: the domain owner's decision, see above
]
