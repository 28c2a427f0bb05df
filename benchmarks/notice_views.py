#!/usr/bin/env python
"""Notice pages and feeds at scale: median time and SQL queries per view, with the demo site's
8 notices and again with 10,000 notices (and 520+ communities) in the database.

    .venv/bin/python benchmarks/notice_views.py [--notices 10000] [--runs 30]

Runs in a throwaway SQLite database (its own VAR_DIR), in-process through Django's test
client, so it measures the application (queries, rendering), not a web server. Results go in
docs/benchmarks.md."""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(var_dir: str) -> None:
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ["VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    # What a view costs to render: the whole-response cache (core.page_cache) would answer
    # repeated views without rendering; benchmarks/load.py measures it separately.
    os.environ["PAGE_CACHE_TIMEOUT"] = "0"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    import logging

    logging.disable(logging.WARNING)


def build_site() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def bulk_notices(count: int) -> None:
    """Insert notices straight into the tables: Django cannot bulk_create multi-table models,
    and creating 10,000 pages one by one through Wagtail would take the better part of an hour
    on this machine. The rows are what Wagtail itself would store for live pages."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from contacts.models import Community
    from notices.models import NoticeIndexPage, NoticeUpdate, OutageNoticePage, major

    index = NoticeIndexPage.objects.get()
    content_type = ContentType.objects.get_for_model(OutageNoticePage)
    communities = list(Community.objects.values_list("pk", flat=True))
    now = timezone.now().replace(microsecond=0)
    utilities = ["heat", "water", "gas", "power"]
    start_step = index.numchild + 1
    pages, notices = [], []
    for n in range(count):
        starts_at = now - timedelta(days=3650) + timedelta(hours=8 * n)
        ends_at = starts_at + timedelta(hours=4 + n % 20)
        slug = f"bench-notice-{n}"
        page = Page(
            content_type=content_type,
            title=f"压力测试停供通知{n}",
            draft_title=f"压力测试停供通知{n}",
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
        restored = ends_at < now
        notice = OutageNoticePage(
            utility=utilities[n % 4],
            kind="planned" if n % 3 else "emergency",
            cause="压力测试",
            area_name=f"测试片区{n}",
            district="绿园区",
            starts_at=starts_at,
            ends_at=ends_at,
            boundary_text="南至皓月大路,北至西安大路,西至翔运街,东至铁路",
            boundary_south="皓月大路",
            boundary_north="西安大路",
            boundary_west="翔运街",
            boundary_east="铁路",
            state="restored" if restored else "scheduled",
            current_ends_at=ends_at,
            is_major=major(starts_at, ends_at),
            went_live_at=starts_at - timedelta(days=2),
            restored_at=ends_at if restored else None,
            changed_at=ends_at if restored else starts_at - timedelta(days=2),
        )
        pages.append(page)
        notices.append(notice)
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=500)
        ids = dict(Page.objects.filter(slug__startswith="bench-notice-").values_list("slug", "pk"))
        fields = [f for f in OutageNoticePage._meta.local_concrete_fields]
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
                through(
                    outagenoticepage_id=ids[page.slug],
                    community_id=communities[i % len(communities)],
                )
                for i, page in enumerate(pages)
            ],
            batch_size=1000,
        )
        NoticeUpdate.objects.bulk_create(
            [
                NoticeUpdate(
                    notice_id=ids[page.slug],
                    kind="restored",
                    occurred_at=notice.ends_at,
                    state_after="restored",
                    automatic=True,
                )
                for page, notice in zip(pages, notices, strict=True)
                if notice.state == "restored"
            ],
            batch_size=1000,
        )
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)


def measure(client, url: str, runs: int, headers: dict | None = None) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **(headers or {}))  # warm-up: site chrome and facets cached, as in service
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **(headers or {}))
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(captured), response.status_code


def scenarios(client) -> list[tuple[str, str, dict | None]]:
    from notices.models import OutageNoticePage

    notice = OutageNoticePage.objects.live().filter(slug="xingyu-east-pump-station-water").get()
    etag = client.get("/feeds/major.rss")["ETag"]
    return [
        ("notice list", "/notices/", None),
        ("notice archive, page 2", "/notices/archive/?page=2", None),
        ("notice detail", notice.url, None),
        ("major-outage feed (cold)", "/feeds/major.rss", None),
        ("major-outage feed (304)", "/feeds/major.rss", {"HTTP_IF_NONE_MATCH": etag}),
        ("community feed", "/feeds/community/LY-0001.rss", None),
        ("community page", "/directory/LY-0001/", None),
        ("JSON list", "/api/notices/", None),
    ]


def report(label: str, client, runs: int) -> dict:
    results = {}
    for name, url, headers in scenarios(client):
        results[name] = measure(client, url, runs, headers)
    print(f"\n{label}")
    print(f"{'view':28} {'median ms':>10} {'queries':>8} {'status':>7}")
    for name, (ms, queries, status) in results.items():
        print(f"{name:28} {ms:10.1f} {queries:8d} {status:7d}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-notices-") as var_dir:
        setup_django(var_dir)
        from django.test import Client

        from contacts.models import Community
        from notices.models import OutageNoticePage

        started = time.perf_counter()
        build_site()
        print(f"demo site built in {time.perf_counter() - started:.0f} s")
        client = Client(HTTP_HOST="localhost")
        small = report(
            f"{OutageNoticePage.objects.count()} notices, {Community.objects.count()} communities",
            client,
            args.runs,
        )
        started = time.perf_counter()
        bulk_notices(args.notices)
        print(f"\n{args.notices} notices inserted in {time.perf_counter() - started:.0f} s")
        large = report(
            f"{OutageNoticePage.objects.count()} notices, {Community.objects.count()} communities",
            client,
            args.runs,
        )
        grown = [name for name in small if large[name][1] != small[name][1]]
        print(
            "\nqueries per view unchanged with 10,000 notices:",
            "yes" if not grown else f"NO: {grown}",
        )


if __name__ == "__main__":
    main()
