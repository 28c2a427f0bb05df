"""Work each web worker would otherwise do on its first requests, done once in gunicorn's
master before it forks them (deploy/gunicorn.conf.py's `when_ready`): the workers inherit the
result. A worker's first search took 230 ms on the embedded profile, 110 ms with the templates
compiled before the fork (docs/benchmarks.md); ten at once on two cores, a few hundred more.
What remains of a first request (imports done on first use, Django's per-process caches of
content types and URL patterns, the site's process memos, translation catalogues) is done by
requesting the home page and a search once in the master (`warm_up`). Last, what the master
holds is moved out of the garbage collector's sight (`freeze_heap`)."""

import gc
import io
import logging
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.template import engines
from django.template.utils import get_app_template_dirs

logger = logging.getLogger(__name__)

# What most residents ask first, and what touches the most code: the home page and a search
# (its words are a common search, so the results it keeps are ones residents will want).
WARM_UP_PATHS = ("/", "/search/?q=" + quote("停水"))


def compile_templates() -> int:
    """Every template of the project (site/templates and its apps' templates/), compiled into
    the engine's cached loader; the number compiled. A template that does not compile stops
    the start, as it would fail the first request that uses it."""
    engine = engines["django"].engine
    site_dir = Path(settings.SITE_DIR)
    dirs = [Path(d) for d in [*engine.dirs, *get_app_template_dirs("templates")]]
    compiled = 0
    for directory in dirs:
        if not directory.is_relative_to(site_dir):
            continue
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
            compiled += 1
    return compiled


def warm_up(application, port: str = "443") -> dict[str, str]:
    """Each of WARM_UP_PATHS requested once through the WSGI application, as the TLS proxy
    sends requests to the server listening on `port` (a host the site serves, X-Forwarded-Proto
    https: the Site is remembered per host name and port); the status line of each.
    Nothing is written that a resident's request would not write: a page may be cached, a
    search's results kept. A page that does not answer 200 is logged and the start goes on (a
    failing page is for its own error log, not a reason to refuse every other page)."""
    host = _served_host()
    statuses = {
        path: request(application, proxied_environ(path, host, port)) for path in WARM_UP_PATHS
    }
    for path, status in statuses.items():
        if not status.startswith("200"):
            logger.warning("Warm-up request %s answered %s", path, status)
    return statuses


def freeze_heap() -> int:
    """Every object the master holds now (Django, Wagtail, the compiled templates, jieba's
    dictionary: some 450,000 objects) moved to the collector's permanent generation, which no
    collection walks; the number moved. A worker's collector otherwise walked them all in its
    first full collection, some 230 ms of CPU landing on whichever request crossed the
    threshold, and wrote to every page it touched, so the memory the fork shared was copied
    (ten first searches at once on the embedded profile: 0.8-1.2 s of CPU before, about 0.2 s
    after; docs/benchmarks.md). Garbage is collected first, so that none is kept for ever."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def request(application, environ: dict) -> str:
    """The status line of the request, its body read as a server would."""
    status = []
    response = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _chunk in response:
            pass
    finally:
        response.close()
    return status[0]


def proxied_environ(path: str, host: str, port: str) -> dict:
    """A GET of `path` (with its query string) as the TLS proxy hands it to gunicorn listening
    on `port`: the host the resident asked for, X-Forwarded-Proto https."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": port,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def _served_host() -> str:
    """The first host name ALLOWED_HOSTS lets through (`.example.com` stands for example.com);
    localhost when it names none (a wildcard, or DEBUG's empty list)."""
    for pattern in settings.ALLOWED_HOSTS:
        name = pattern.lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"
