"""Test settings. The SQLite test database is a file named after a fingerprint of every
migration, the demo content it is loaded with and the dependency lock, so `--reuse-db` reuses it
until the schema or the seed data really changes."""

import hashlib
import time

from config.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    DATABASES,
    Q_CLUSTER,
    REDIS_URL,
    SITE_DIR,
    SMS_BACKEND,
    SMS_BACKEND_OPTIONS,
    VAR_DIR,
)

# From the environment for the key-rotation test's processes (tests/core/test_key_rotation.py).
SECRET_KEY = env_str("SECRET_KEY", "test-only-key")
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "heating-test")
if not REDIS_URL:  # one process: local memory is enough and leaves nothing behind
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
WAGTAILADMIN_BASE_URL = "http://testserver"
PUBLIC_BASE_URL = ""  # links follow the test client's host unless a test sets it
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tasks run inline where they are queued, so a test sees their effect deterministically; the
# real cluster is exercised by tests/alerts/test_cluster_fan_out.py in its own processes.
# tests/alerts/test_cluster_fan_out.py runs real clusters with these settings and E2E_CLUSTER=1: a real
# queue, short timeouts so a killed worker's task comes back within seconds, and the SMS
# backend named in the environment (the Aliyun stand-in).
if env_bool("E2E_CLUSTER"):
    Q_CLUSTER = {**Q_CLUSTER, "timeout": 4, "retry": 6, "poll": 0.2, "workers": 2}
    SMS_CLAIM_TIMEOUT = 3
    if _kill_after := env_str("E2E_KILL_AFTER_HANDOVER"):
        # tests/config/test_faults.py: the configured backend in batches of SMS_MAX_BATCH, the
        # cluster killed right after its Nth call returns (tests/e2e/handover_kill.py).
        SMS_BACKEND_OPTIONS = {
            "backend": SMS_BACKEND,
            "options": {**SMS_BACKEND_OPTIONS, "max_batch": int(env_str("SMS_MAX_BATCH", "1000"))},
            "after": int(_kill_after),
            "counter": str(VAR_DIR / "handovers-returned"),
        }
        SMS_BACKEND = "tests.e2e.handover_kill.KillAfterHandover"
else:
    Q_CLUSTER = {**Q_CLUSTER, "sync": True}
    SMS_BACKEND = "sms.backends.locmem.LocmemBackend"
    SMS_BACKEND_OPTIONS = {}
SMS_INBOUND_SECRET = "test-inbound-secret"  # noqa: S105
# The link check's tests fetch from servers on 127.0.0.1 (tests/linkcheck), quickly.
LINKCHECK_ALLOW_PRIVATE = True
LINKCHECK_TIMEOUT = 0.5
LINKCHECK_HOST_RATE = 50
LINKCHECK_BUDGET = 10

# The suite's clock (tests/clock.py) reaches the processes it starts (clusters, the browser
# tests' server): they travel by the same offset from the real clock. time-machine's clock
# ticks from its first reading, not from start(): read it at once, or a process would lag by
# however long Django takes to load (a second), and a cluster would see a message created by
# another process as due in the future.
if _clock_offset := env_str("TEST_CLOCK_OFFSET", ""):
    import time_machine

    time_machine.travel(time.time() + float(_clock_offset), tick=True).start()
    time.time()


def _schema_fingerprint() -> str:
    digest = hashlib.sha256()
    sources = sorted(SITE_DIR.glob("*/migrations/*.py")) + sorted(SITE_DIR.glob("demo/**/*.py"))
    sources.append(BASE_DIR / "requirements.lock")
    for path in sources:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_schema_fingerprint()}.sqlite3")}
