"""Settings shared by every environment. Integrations switch on only when their variable is set:
`DATABASE_URL` (PostgreSQL instead of the embedded SQLite), `REDIS_URL` (Redis cache and the
django-q2 Redis broker instead of local memory and the database broker)."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list, env_str, serves_requests

SITE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SITE_DIR.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(exist_ok=True)  # the embedded SQLite database and uploads live here

SECRET_KEY = env_str("SECRET_KEY")
# Rotating the key (docs/deployment.md): the old key goes here for as long as what it signed
# must stay valid (queued tasks, sessions, texted codes). Comma-separated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies in front of the site that append to X-Forwarded-For (core.ratelimit.client_ip):
# without it, behind a proxy every reader would share one rate limit and one login lockout.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "core",
    "home",
    "jobs",
    "catalogue",
    "commitments",
    "faq",
    "contacts",
    "notices",
    "sms",
    "wechat",
    "alerts",
    "regulations",
    "fees",
    "servicedesk",
    "search",
    "disclosure",
    "reports",
    "rules",
    "linkcheck",
    "collections_app",
    "demo",
    "config",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template of Wagtail's sitemap app (home.sitemap)
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, outside the page cache so cached pages carry it too.
    "config.csp.ContentSecurityPolicyMiddleware",
    # A page served from the cache is answered here, without the middleware below: it keeps
    # the headers they gave the response it stored, and sets the CSRF cookie itself.
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before any view or the CSRF check reads a form: bodies that are not UTF-8 are a 400.
    "core.encoding.Utf8BodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's Wagtail Site from memory; after the page cache, whose hits need none.
    "core.sites.SiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp; config/csp.py adds the map tile servers to img-src).
# Public pages: nothing inline, nothing from elsewhere. The Wagtail admin (/admin/) needs inline
# scripts and styles and frames its own previews. Same in every environment, so the browser
# tests run under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.chrome",
                "home.display.display_mode",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serves the web process and the django-q2 worker at once: wait for the lock
    # instead of failing, and let readers go on while one writer writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Kept open like PostgreSQL's: opening one and its PRAGMAs took 2-3 ms of every request
    # (issue 19). In WAL mode each statement outside a transaction reads the latest commit.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "heating")
if REDIS_URL:
    # Django's RedisCache, except that a Redis outage is a cache miss, not a 500 (config.cache).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
        }
    }
else:
    # Files, not local memory: the web server and the django-q2 cluster are separate processes,
    # and a notice the cluster publishes must invalidate the pages the web server cached.
    CACHES = {
        "default": {
            "BACKEND": "config.file_cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Anonymous pages and feeds are cached whole for this long at most (core.page_cache); content
# changes invalidate them at once, the limit only bounds what depends on the clock. 0: off.
PAGE_CACHE_TIMEOUT = int(env_str("PAGE_CACHE_TIMEOUT", "600"))
# A frontend cache (Varnish, a CDN's purge endpoint) in front of the site: the responses the
# same for every reader (feeds, CAP, calendars, JSON) are marked shareable, and a change purges
# exactly the addresses that showed it, through a django-q2 task (core.page_cache).
FRONTEND_CACHE_PURGE_URL = env_str("FRONTEND_CACHE_PURGE_URL")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

# Wagtail's own tasks (search and reference index updates) run inline as by default, except
# that an import can hold them back until its write transaction has ended (core.wagtail_tasks).
TASKS = {"default": {"BACKEND": "core.wagtail_tasks.ImmediateUnlessHeldBackend"}}

# django-q2: the database broker by default (nothing more to run), Redis when REDIS_URL is set.
# - timeout (120 s) < retry (180 s): a task still running is never handed to a second worker;
#   one whose worker died is redelivered after `retry`. Every task is idempotent anyway.
# - max_attempts 5: a task that keeps failing stops instead of looping forever; the minute
#   schedules (alerts-dispatch-due) pick up what is left.
# - catch_up off: after downtime a minute schedule runs once, not once per missed minute.
# - save_limit: keep the last 1,000 successful tasks for the admin, not every run of the
#   minute schedules.
Q_CLUSTER = {
    "name": "heating",
    "workers": int(env_str("Q_WORKERS", "2")),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 5,
    "catch_up": False,
    "save_limit": 1000,
    "label": "后台任务",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1  # seconds between looks at the database queue

# SMS: a backend like Django's email backends (the sms app). The console backend prints texts
# with masked numbers and journals each call in $VAR_DIR/sms-console.jsonl (its `journal`
# option); the file backend writes them to $VAR_DIR/sms.jsonl; either answers from that file,
# after a crash, whether a call was accepted. Set SMS_BACKEND=aliyun and the ALIYUN_* variables
# to really send.
SMS_BACKENDS = {
    "console": "sms.backends.console.ConsoleBackend",
    "file": "sms.backends.file.FileBackend",
    "aliyun": "sms.backends.aliyun.AliyunBackend",
}
SMS_BACKEND = SMS_BACKENDS.get(env_str("SMS_BACKEND", "console"), env_str("SMS_BACKEND"))
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME", "春城热力")
SMS_TEMPLATE_CODE = env_str("SMS_TEMPLATE_CODE", "SMS_OUTAGE")
SMS_VERIFY_TEMPLATE_CODE = env_str("SMS_VERIFY_TEMPLATE_CODE", "SMS_VERIFY")
# The provider template's text, with ${...} parameters: what the template approved by the
# provider says, so editors preview (and count) exactly what residents receive.
SMS_TEMPLATE_TEXT = env_str(
    "SMS_TEMPLATE_TEXT", "${utility}通知：${place}，${time}。${action}详询${phone}"
)
SMS_BACKEND_OPTIONS = {
    "console": {},
    "file": {"path": str(VAR_DIR / "sms.jsonl")},
    "aliyun": {
        "access_key_id": env_str("ALIYUN_ACCESS_KEY_ID"),
        "access_key_secret": env_str("ALIYUN_ACCESS_KEY_SECRET"),
        "sign_name": SMS_SIGN_NAME,
        "endpoint": env_str("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
        "max_batch": int(env_str("SMS_MAX_BATCH", "1000")),
    },
}.get(env_str("SMS_BACKEND", "console"), {})
SMS_HOTLINE = env_str("SMS_HOTLINE", "9612399")
# A claim older than this is a dead worker's: its rows are settled with the provider.
SMS_CLAIM_TIMEOUT = int(env_str("SMS_CLAIM_TIMEOUT", "120"))
SMS_RETENTION_DAYS = int(env_str("SMS_RETENTION_DAYS", "30"))
# Shared secret of the inbound-message webhook (replies such as 退订); unset, it is off.
SMS_INBOUND_SECRET = env_str("SMS_INBOUND_SECRET")
WEBSUB_HUB_URL = env_str("WEBSUB_HUB_URL")
# 管家群 group robots (alerts.channels.robots): the 企业微信 webhook API; each robot's key is
# in the database (admin: 管家群机器人), and the channel is on while an active robot exists.
WECOM_ROBOT_API_BASE = env_str("WECOM_ROBOT_API_BASE", "https://qyapi.weixin.qq.com")

# WeChat 公众号 (service account; the wechat app, docs/wechat.md): the channel is off until the
# AppID, AppSecret and Token are set (wechat.is_configured). Without an EncodingAESKey the
# callback speaks plaintext mode only. WECHAT_API_BASE points tests and demos at the stand-in
# (standins/wechat_api.py); WECHAT_TEMPLATE_ID is the approved outage template message.
WECHAT_APP_ID = env_str("WECHAT_APP_ID")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET")
WECHAT_TOKEN = env_str("WECHAT_TOKEN")
WECHAT_ENCODING_AES_KEY = env_str("WECHAT_ENCODING_AES_KEY")
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_TEMPLATE_ID = env_str("WECHAT_TEMPLATE_ID")
# Its template messages (alerts.channels.wechat): the keys of the approved template's four fields (类型, 地点, 时间, 说明), how many calls run at once
# and how many start a second, and how long a follower who left is kept.
WECHAT_TEMPLATE_KEYS = env_str("WECHAT_TEMPLATE_KEYS", "thing1,thing2,time3,thing4").split(",")
WECHAT_SEND_CONCURRENCY = int(env_str("WECHAT_SEND_CONCURRENCY", "8"))
WECHAT_SEND_RATE = float(env_str("WECHAT_SEND_RATE", "20"))
WECHAT_RETENTION_DAYS = int(env_str("WECHAT_RETENTION_DAYS", "30"))

# Service desk (servicedesk): the provider templates of the texts to residents (their wording is
# in servicedesk/notifications.py), and how long a closed request keeps its personal data.
SMS_SERVICE_RECEIVED_TEMPLATE_CODE = env_str(
    "SMS_SERVICE_RECEIVED_TEMPLATE_CODE", "SMS_SERVICE_RECEIVED"
)
SMS_SERVICE_CLOSED_TEMPLATE_CODE = env_str("SMS_SERVICE_CLOSED_TEMPLATE_CODE", "SMS_SERVICE_CLOSED")
SERVICE_DESK_RETENTION_DAYS = int(env_str("SERVICE_DESK_RETENTION_DAYS", "365"))

# E-mail through SMTP (dev prints it, the tests keep it in memory): the service desk's reminders
# and escalations, Wagtail's moderation notices. The timeout makes a stuck mail server fail the
# send (retried by the next minute's run) instead of holding a worker past its task timeout.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# The daily link check (linkcheck.fetch): external links are fetched at most LINKCHECK_HOST_RATE
# times a second per host, one at a time, LINKCHECK_CONCURRENCY hosts at once, each request
# with LINKCHECK_TIMEOUT seconds, and no new request after LINKCHECK_BUDGET seconds (the rest
# waits for the next run): a run ends well inside django-q2's 120-second task timeout. Hosts that
# resolve to private or loopback addresses are never fetched (the checker runs inside the company
# network) unless LINKCHECK_ALLOW_PRIVATE.
LINKCHECK_TIMEOUT = float(env_str("LINKCHECK_TIMEOUT", "8"))
LINKCHECK_HOST_RATE = float(env_str("LINKCHECK_HOST_RATE", "1"))
LINKCHECK_CONCURRENCY = int(env_str("LINKCHECK_CONCURRENCY", "4"))
LINKCHECK_BUDGET = float(env_str("LINKCHECK_BUDGET", "60"))
LINKCHECK_ALLOW_PRIVATE = env_bool("LINKCHECK_ALLOW_PRIVATE")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login brute force (docs/security.md): django-axes counts failed logins in the database, on
# every form that calls authenticate() (the Wagtail admin login and the private-page login).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Locked per username *and* IP: a guesser is stopped after five tries, while the same account
# still logs in from the office (locking the username alone would let anyone lock staff out).
# Guessing many usernames from one IP is capped by the per-IP limit on the login forms
# (config.urls). Thirty minutes makes guessing hopeless (about 240 tries a day) and is short
# enough that a locked-out editor waits rather than calls; a superuser unlocks sooner with
# `manage.py axes_reset_username NAME`. A success clears the count, so old typos never add up.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "home/login_locked.html"
# That page with `Retry-After` (the cool-off), as every other 429 of the site.
AXES_LOCKOUT_CALLABLE = "home.lockout.login_locked"
# The same client address as the public rate limits (core.ratelimit).
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
# Verbose, django-axes logs its version and lockout mode as it starts ("AXES: BEGIN ...") and
# names the user agent in its lockout warnings: worth it in the web server's log, noise in every
# management command, cluster and test run, which log no logins.
AXES_VERBOSE = serves_requests()

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SITE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A directory CSV of a few thousand communities is well under this.
CONTACTS_CSV_MAX_BYTES = 5 * 1024 * 1024

# The `sender` of CAP alerts (docs/feeds.md): the site's domain, e.g. heat.example.cn.
# Unset, the host the request came to is used.
CAP_SENDER = env_str("CAP_SENDER")

# Maps of a notice's area (notices.maps.svg). No tile server by default: the polygon is drawn alone.
# MAP_TILE_URL is a template with {z} {x} {y} and optionally {s} (one of MAP_TILE_SUBDOMAINS);
# MAP_TILE_OVERLAY_URL an annotation layer drawn on top (Tianditu's cva_w). Polygons are stored
# in WGS84; MAP_TILE_CRS=gcj02 shifts them for a GCJ-02 tile server (AMap). README has examples.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_OVERLAY_URL = env_str("MAP_TILE_OVERLAY_URL")
MAP_TILE_SUBDOMAINS = env_list("MAP_TILE_SUBDOMAINS", ["a", "b", "c"])
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")
MAP_TILE_MAX_ZOOM = int(env_str("MAP_TILE_MAX_ZOOM", "18"))
MAP_TILE_CRS = env_str("MAP_TILE_CRS", "wgs84").lower()
if MAP_TILE_CRS not in ("wgs84", "gcj02"):
    raise ImproperlyConfigured(f"MAP_TILE_CRS 只能是 wgs84 或 gcj02，而不是 {MAP_TILE_CRS!r}。")
# Where the admin's drawing map opens for a notice without a polygon: lon,lat (长春 人民广场).
MAP_DEFAULT_CENTER = tuple(
    float(value) for value in env_list("MAP_DEFAULT_CENTER", ["125.3245", "43.8868"])
)

WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "供热信息公开")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# The site's canonical address, e.g. https://heat.example.cn: set, every absolute link (JSON,
# feeds, CAP, calendars, texts, WebSub pings) is built from it whatever address a request came to;
# unset, from the request's own address, else from WAGTAILADMIN_BASE_URL (core.addresses).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "")
_public = urlsplit(PUBLIC_BASE_URL)
if PUBLIC_BASE_URL and (
    _public.scheme not in ("http", "https")
    or not _public.hostname
    or _public.path.strip("/")
    or _public.query
    or _public.fragment
):
    raise ImproperlyConfigured(
        f"PUBLIC_BASE_URL 应只含协议和域名，例如 https://heat.example.cn，而不是 {PUBLIC_BASE_URL!r}。"
    )
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# The database backend: SQLite FTS5 or PostgreSQL full text. Text arrives already cut into words
# (chinese_text.segmentation): PostgreSQL has no Chinese configuration, and "simple" neither stems nor
# drops stop words, so it indexes the words as they are. SQLite ignores the setting, and its
# queries start from the FTS index (core.search_backend).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend", "SEARCH_CONFIG": "simple"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "doc", "docx", "pdf", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# An upload must be what its extension says (home.documents), and is served by Django (never
# straight from MEDIA_ROOT) as a download, PDF excepted, with `Content-Security-Policy:
# default-src 'none'` and nosniff: no uploaded file runs script in the site's origin.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.documents.DocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAIL_MODERATION_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Messages escaped and without query strings: a path cannot forge a line, and what residents
    # type never reaches a log (config.log_safety).
    "formatters": {
        "plain": {
            "()": "config.log_safety.SafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "filters": {"one_line_warning": {"()": "config.log_filters.OneLineWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django_q": {"level": "INFO"},
        # Wagtail 8 runs search-index and reference-index updates as django-tasks; one line
        # per task drowns everything else.
        "django_tasks": {"level": "WARNING"},
        # A request for a Host not in ALLOWED_HOSTS (scanners, every day): Django logs an error
        # with its traceback; one line says it, and still shows a forgotten ALLOWED_HOSTS entry.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}
