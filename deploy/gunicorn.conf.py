"""gunicorn settings of a web machine (docs/deployment.md):

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py

runs `config.wsgi` (config.settings.production unless DJANGO_SETTINGS_MODULE says otherwise)
behind a TLS-terminating proxy. Every value can be changed from the environment, as the
table in README.md lists: GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT,
GUNICORN_THREADS, GUNICORN_WORKER_CONNECTIONS, GUNICORN_MAX_REQUESTS, FORWARDED_ALLOW_IPS (read by gunicorn itself)."""

import multiprocessing
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site"))

from config.gunicorn_hardening import SafeLogger, drop_server_header  # noqa: E402

wsgi_app = "config.wsgi:application"
chdir = str(ROOT / "site")  # site/ is on sys.path (config.wsgi adds it too)

# The proxy in front reaches gunicorn here; keep it off the public network (Django trusts
# X-Forwarded-Proto from whoever connects, see SECURE_PROXY_SSL_HEADER).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Two processes per core plus one (gunicorn's rule of thumb), each with a few threads. The proxy
# in front buffers slow clients (deploy/nginx.conf); without it, a sync worker is held by any
# connection that sends nothing until `timeout` kills it: five idle connections made the site
# unresponsive for a minute. gthread workers keep connections that have not sent a request in
# their poller (a thread waits at most 5 s for data, then hands the connection back; an idle
# connection is closed after `keepalive`), so the site keeps answering with gunicorn alone.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The connections a worker holds at once (gunicorn's default: 1,000). Keep-alive connections
# (the proxy's, a load test's) arrive together, and the worker that wakes first would take
# them all: one process, one core, serving the whole site at a third of what the machine can
# (benchmarks/load.py: 600 instead of 1,800 requests a second when all ten of its connections
# landed on one worker). Twice the threads spreads them over the workers; gunicorn keeps as
# many as the threads idle and closes the others after their response.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(2 * threads)))

# A worker whose main loop stops answering for this long is killed and replaced. Long admin
# work (imports) runs in the django-q2 cluster, never in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # seconds, for the proxy's keep-alive connections

# Load the application once in the master: a broken configuration (say DATABASE_URL not
# PostgreSQL) stops gunicorn at start instead of making every worker crash in a loop, and the
# workers share the loaded code's memory. A deploy therefore restarts gunicorn (systemctl
# restart); HUP would keep the old code.
preload_app = True

# Replace each worker after about this many requests, if memory is seen to grow. Off by
# default: a new worker inherits jieba's dictionary only from a master that loaded it before
# forking (when_ready below), and a recycled one is a fork of the same master, so it is
# cheap; but the names added since (new communities) it learns again on its first search.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10


def when_ready(server):
    """In the master, after the application is loaded and before any worker is forked: load
    jieba's dictionary (a second or more), compile the templates and request the home page and
    a search once (core.prefork), so that no worker's first requests wait for what every
    request needs; then close the database connections these opened, which a fork must not
    share, and freeze what the master holds, so that no worker's garbage collector walks it."""
    from django.db import connections

    from chinese_text import segmentation
    from config.wsgi import application
    from core import prefork

    segmentation.warm()
    prefork.compile_templates()
    prefork.warm_up(application, port=_listening_port(server))
    connections.close_all()
    prefork.freeze_heap()


def _listening_port(server) -> str:
    """The port of the first address gunicorn listens on, as its workers give it to requests
    (SERVER_PORT); on a Unix socket, the port of the proxy's https scheme."""
    listeners = getattr(server, "LISTENERS", None) or []
    address = listeners[0].getsockname() if listeners else None
    return str(address[1]) if isinstance(address, tuple) else "443"


# gunicorn's control socket would go to one fixed path in $HOME shared by every gunicorn on
# the machine; nothing here uses it.
control_socket_disable = True

# Access log to stdout (journald under systemd) WITHOUT query strings or referrers: a resident
# may type a phone number into a search box or a form sent with GET, and a phone number must
# never land in a log. %(U)s is the path alone; %(M)s the duration in milliseconds.
# `SafeLogger` also escapes control characters (a `%0d%0a` in a path would forge a line) and
# strips query strings from every message, gunicorn's "Invalid request" warnings included.
logger_class = SafeLogger
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# No `Server: gunicorn` header (config/gunicorn_hardening.py).
drop_server_header()
