#!/usr/bin/env python
"""Where a page view's time goes: the pages of benchmarks/load.py rendered in-process through
Django's WSGI handler (the whole middleware stack, a request as gunicorn hands it over, the
database connection kept as in service), page cache off.

    .venv/bin/python benchmarks/profile_pages.py [--runs 300] [--top 0] [--page-cache off|on]
    .venv/bin/python benchmarks/profile_pages.py --database-url postgres://postgres@127.0.0.1:5432/heating \\
        --redis-url redis://127.0.0.1:6379/14

Builds the demo site as benchmarks/load.py does, and runs with its settings: on the embedded
SQLite and file cache, or on a throwaway PostgreSQL database and Redis with
config.settings.production. Per page: milliseconds per view without the profiler, SQL queries,
then under cProfile the share of the view spent in each part (the parts overlap: a query run
from a template counts in both, so they do not sum to 100 %). --top N also prints the N
functions with the most time of their own. With --page-cache on, every view after the first
is a hit of the whole-response cache. Last, searches for words never asked before (load.py's). Results go in docs/benchmarks.md."""

import argparse
import cProfile
import importlib
import inspect
import io
import itertools
import logging
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from load import NEW_WORDS, PAGES, ROOT, Site, place_words

# (label, module, function): the entry point of each part; cProfile counts a recursive function's
# time once.
PARTS = [
    ("templates", "django.template.base", "Template.render"),
    ("SQL built", "django.db.models.sql.compiler", "SQLCompiler.as_sql"),
    ("SQL run", "django.db.backends.utils", "CursorWrapper._execute"),
    ("translations", "django.utils.translation.trans_real", "gettext"),
    ("Site lookup", "wagtail.models.sites", "Site.find_for_request"),
    ("Wagtail routing", "wagtail.models.pages", "Page.route_for_request"),
    ("URL resolving", "django.urls.resolvers", "URLResolver.resolve"),
    ("cache reads", "django.core.cache.backends.base", "BaseCache.get_many"),
    ("page cache hit", "core.page_cache", "PageCacheMiddleware._lookup"),
]


def viewer(handler):
    """A function of a path: its request as gunicorn hands it over from the proxy (core.prefork,
    which warms workers up the same way), answered by `handler`; its status line. core is
    imported here, once, because only profile_pages() puts site/ on sys.path."""
    from core.prefork import proxied_environ, request

    return lambda path: request(handler, proxied_environ(path, "localhost", "8000"))


def count_queries(connection, view, path: str) -> list[str]:
    queries = []

    def record(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(record):
        view(path)
    return queries


def code_of(module: str, qualname: str) -> tuple[str, int, str]:
    """cProfile's key of a function."""
    found = importlib.import_module(module)
    for name in qualname.split("."):
        found = getattr(found, name)
    code = inspect.unwrap(found).__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def shares(profile: cProfile.Profile) -> tuple[float, dict]:
    stats = pstats.Stats(profile).stats
    total = sum(inline for _calls, _primitive, inline, _cumulative, _callers in stats.values())
    found = {}
    for label, module, qualname in PARTS:
        entry = stats.get(code_of(module, qualname))
        found[label] = entry[3] if entry else 0.0
    return total, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--page-cache", choices=["off", "on"], default="off")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (with --redis-url)")
    parser.add_argument("--redis-url", default="", help="a Redis database (with --database-url)")
    args = parser.parse_args()
    if bool(args.database_url) != bool(args.redis_url):
        parser.error("--database-url and --redis-url go together (config.settings.production)")
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as var_dir:
        site = Site(Path(var_dir), args.database_url, args.redis_url)
        try:
            site.build()
            profile_pages(site, args)
        finally:
            site.clean_up()


def profile_pages(site: Site, args) -> None:
    os.environ.update(site.env)
    if args.page_cache == "off":
        os.environ["PAGE_CACHE_TIMEOUT"] = "0"
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    view = viewer(WSGIHandler())
    print(f"{'page':20} {'ms/view':>8} {'queries':>8}  " + "  ".join(p[0] for p in PARTS))
    new_words = (f"/search/?q={quote(word)}" for word in place_words())
    for name, path in [*PAGES, (NEW_WORDS, None)]:
        paths = new_words if path is None else itertools.repeat(path)
        for _ in range(20):
            status = view(next(paths))
        if not status.startswith("200"):
            sys.exit(f"{name} {path}: {status}")
        queries = count_queries(connection, view, next(paths))
        started = time.perf_counter()
        for _ in range(args.runs):
            view(next(paths))
        per_view = (time.perf_counter() - started) / args.runs * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            view(next(paths))
        profile.disable()
        total, found = shares(profile)
        print(
            f"{name:20} {per_view:8.2f} {len(queries):8d}  "
            + "  ".join(f"{found[label] / total:{len(label)}.0%}" for label, *_ in PARTS)
        )
        if args.top:
            output = io.StringIO()
            pstats.Stats(profile, stream=output).sort_stats("tottime").print_stats(args.top)
            print(output.getvalue())


if __name__ == "__main__":
    main()
