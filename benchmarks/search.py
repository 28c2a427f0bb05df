#!/usr/bin/env python
"""Site search at scale: median and p95 time of the search page over 200 queries, with 10,000
notices and the demo's 522 communities in the search index, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/search.py [--notices 10000] [--queries 200]
    .venv/bin/python benchmarks/search.py --database-url postgres://postgres@127.0.0.1:5432/heating

SQLite: a throwaway database in its own VAR_DIR. PostgreSQL: Django creates a throwaway
database named test_<name> on that server and drops it at the end; the named one is not touched.
In-process through Django's test client, so it measures the application (segmentation, search
queries, rendering), not a web server. The queries are a fixed mix of what residents type:
community names, short names and pinyin initials, roads, pump and heat stations, 停水/停热/…,
发票/退费/…. Results go in docs/benchmarks.md."""

import argparse
import importlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROADS = [
    "皓月大路",
    "西安大路",
    "翔运街",
    "景阳大路",
    "锦西路",
    "和平大街",
    "春城大街",
    "隆化路",
    "迎宾路",
    "西环城路",
    "普阳街",
    "升阳街",
    "黄河路",
    "人民大街",
    "亚泰大街",
    "自由大路",
    "解放大路",
    "卫星路",
    "南湖大路",
    "开运街",
]
CAUSES = [
    "泵站计划性清洗水箱",
    "换热站板式换热器检修",
    "供热管道破裂抢修",
    "燃气管网改造",
    "外网阀门更换",
]
UTILITIES = ["water", "heat", "gas", "power"]
FACILITIES = ["泵站", "热力站", "换热站"]
SERVICE_WORDS = ["停水", "停热", "停气", "停电", "发票", "退费", "测温", "缴费", "投诉", "报修"]


def setup_django(var_dir: str, database_url: str) -> None:
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ["VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    # What a view costs to render: the whole-response cache (core.page_cache) would answer
    # repeated views without rendering; benchmarks/load.py measures it separately.
    os.environ["PAGE_CACHE_TIMEOUT"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    import logging

    logging.disable(logging.WARNING)


def build_site(postgres: bool) -> str:
    """The demo site in a fresh database; returns the name of the server's database to restore."""
    from django.core.management import call_command
    from django.db import connection

    original = connection.settings_dict["NAME"]
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    return original


def bulk_notices(count: int, rng: random.Random) -> None:
    """Insert notices straight into the tables, as benchmarks/notice_views.py does (creating
    10,000 pages through Wagtail would take the better part of an hour), with places, roads
    and communities varied the way real notices are."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from contacts.models import Community
    from notices.enums import Utility
    from notices.models import NoticeIndexPage, OutageNoticePage, major

    index = NoticeIndexPage.objects.get()
    content_type = ContentType.objects.get_for_model(OutageNoticePage)
    communities = list(Community.objects.values_list("pk", "name", "district"))
    now = timezone.now().replace(microsecond=0)
    start_step = index.numchild + 1
    pages, notices, links = [], [], []
    for n in range(count):
        starts_at = now - timedelta(days=3650) + timedelta(hours=8 * n)
        ends_at = starts_at + timedelta(hours=4 + n % 20)
        affected = rng.sample(communities, rng.randint(1, 3))
        _, first_name, district = affected[0]
        utility = rng.choice(UTILITIES)
        area = f"{first_name}{rng.choice(FACILITIES)}"
        south, north, west, east = rng.sample(ROADS, 4)
        slug = f"bench-search-{n}"
        title = f"{district}{area}{Utility(utility).label}通知"
        pages.append(
            Page(
                content_type=content_type,
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(index.path, index.depth + 1, start_step + n),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=starts_at - timedelta(days=2),
                last_published_at=starts_at - timedelta(days=2),
                locale_id=index.locale_id,
                translation_key=uuid.uuid4(),
            )
        )
        restored = ends_at < now
        notices.append(
            OutageNoticePage(
                utility=utility,
                kind="planned" if n % 3 else "emergency",
                cause=rng.choice(CAUSES),
                area_name=f"长春市{district}{area}",
                district=district,
                starts_at=starts_at,
                ends_at=ends_at,
                boundary_text=f"南至{south},北至{north},西至{west},东至{east}",
                boundary_south=south,
                boundary_north=north,
                boundary_west=west,
                boundary_east=east,
                details="<p>望广大用户周知并做好准备。</p>",
                state="restored" if restored else "scheduled",
                current_ends_at=ends_at,
                is_major=major(starts_at, ends_at),
                went_live_at=starts_at - timedelta(days=2),
                restored_at=ends_at if restored else None,
                changed_at=ends_at if restored else starts_at - timedelta(days=2),
            )
        )
        links.append([pk for pk, _, _ in affected])
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=500)
        ids = dict(Page.objects.filter(slug__startswith="bench-search-").values_list("slug", "pk"))
        fields = list(OutageNoticePage._meta.local_concrete_fields)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        rows = []
        for page, notice in zip(pages, notices, strict=True):
            notice.page_ptr_id = ids[page.slug]
            rows.append(
                [f.get_db_prep_save(getattr(notice, f.attname), connection) for f in fields]
            )
        table = connection.ops.quote_name(OutageNoticePage._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608
        through = OutageNoticePage.communities.through
        through.objects.bulk_create(
            [
                through(outagenoticepage_id=ids[page.slug], community_id=community)
                for page, affected in zip(pages, links, strict=True)
                for community in affected
            ],
            batch_size=1000,
        )
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)


def index_notices() -> None:
    """What `manage.py update_index` does for notices, in chunks; the rest is indexed already."""
    from wagtail.search.backends import get_search_backend

    from notices.models import OutageNoticePage

    index = get_search_backend().get_index_for_model(OutageNoticePage)
    notices = OutageNoticePage.get_indexed_objects().order_by("pk")
    for start in range(0, notices.count(), 1000):
        index.add_items(OutageNoticePage, list(notices[start : start + 1000]))


def analyze() -> None:
    """Planner statistics for the new rows, as a database in service has."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def query_mix(count: int, rng: random.Random) -> list[str]:
    from chinese_text.vocabulary import short_name
    from contacts.models import Community
    from contacts.pinyin import initials

    names = list(Community.objects.order_by("pk").values_list("name", flat=True))
    sources = [
        (0.20, lambda: rng.choice(names)),
        (0.10, lambda: short_name(rng.choice(names))),
        (0.15, lambda: rng.choice(ROADS)),
        (0.05, lambda: f"{short_name(rng.choice(names))}{rng.choice(FACILITIES)}"),
        (0.15, lambda: rng.choice(SERVICE_WORDS[:4])),
        (0.10, lambda: rng.choice(SERVICE_WORDS[4:])),
        (0.05, lambda: f"{short_name(rng.choice(names))} {rng.choice(SERVICE_WORDS[:4])}"),
        (0.15, lambda: initials(rng.choice(names))),
        (0.05, lambda: initials(short_name(rng.choice(names)))),
    ]
    queries = [source() for share, source in sources for _ in range(round(share * count))]
    rng.shuffle(queries)
    return queries[:count]


def measure(client, queries: list[str]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/search/", {"q": "星宇"})  # warm-up: site chrome and private paths cached
    timings, sql, empty = [], [], []
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, query
        sql.append(len(captured))
        if 'class="search-group"' not in response.content.decode():
            empty.append(query)
    return {
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20, method="inclusive")[18],
        "max": max(timings),
        "sql_max": max(sql),
        "empty": empty,
    }


def cold_start(client) -> float:
    """A new process's first search: jieba's dictionary (from its cache file) and the place
    names of the database, loaded once."""
    from chinese_text import segmentation

    importlib.reload(segmentation)  # forget the loaded dictionary, as a fresh process has none
    started = time.perf_counter()
    client.get("/search/", {"q": "星宇"})
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server to use (a throwaway test_ database is created on it)",
    )
    args = parser.parse_args()
    rng = random.Random(2026)  # noqa: S311 - the same data and queries on every run
    with tempfile.TemporaryDirectory(prefix="bench-search-") as var_dir:
        setup_django(var_dir, args.database_url)
        from django.db import connection
        from django.test import Client

        from contacts.models import Community
        from notices.models import OutageNoticePage

        postgres = connection.vendor == "postgresql"
        started = time.perf_counter()
        original_name = build_site(postgres)
        print(f"{connection.vendor}: demo site built in {time.perf_counter() - started:.0f} s")
        try:
            started = time.perf_counter()
            bulk_notices(args.notices, rng)
            print(f"{args.notices} notices inserted in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            index_notices()
            analyze()
            print(f"{args.notices} notices indexed in {time.perf_counter() - started:.0f} s")
            client = Client(HTTP_HOST="localhost")
            queries = query_mix(args.queries, rng)
            results = measure(client, queries)
            print(
                f"\n{OutageNoticePage.objects.count()} notices, "
                f"{Community.objects.count()} communities, {len(queries)} queries"
            )
            print(f"median {results['median']:.1f} ms, p95 {results['p95']:.1f} ms, ", end="")
            print(f"max {results['max']:.1f} ms, at most {results['sql_max']} SQL queries a view")
            print(f"queries without results: {len(results['empty'])} {results['empty']}")
            print(f"first search of a new process: {cold_start(client):.0f} ms")
        finally:
            if postgres:
                connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
