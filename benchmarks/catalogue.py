#!/usr/bin/env python
"""The disclosure catalogue at scale (issue 17): a mirror reading the whole change log, the
conditional GET it polls with, and the JSON, CSV and Excel exports, with 5,000 and again with
20,000 catalogue items (about 7,500 and 30,000 changes).

    .venv/bin/python benchmarks/catalogue.py [--items 20000] [--small 5000]

Runs in a throwaway SQLite database (its own VAR_DIR) with the demo content, in-process
through Django's test client, so it measures the application (queries, serialisation), not a
web server. The items are regulations under the demo's 规章制度 column, inserted straight into
the tables with the records sync would have written for them (`bulk_regulations`); at the end
`catalogue.changes.sync` runs on a sample of them and must record nothing.

Exits non-zero when a promise of the design does not hold:
- the change API reads one page of the log by its cursor: its queries per page are the same at
  both sizes and at most QUERY_BUDGET (the ETag's read of the sequence, the page of changes
  with their items' numbers, the replacements they name); the 304 answer is one query;
- the exports stream the items in chunks of 500 from one cursor, so their peak Python memory
  (tracemalloc) is that of one chunk whatever the catalogue holds: at the large size it stays
  under MEMORY_RATIO times that at the small one (about 4,000 and 16,000 live items). Holding
  every item would take about four times the memory; the 25% is for noise (caches). The
  collector is paused while memory is traced, so objects in reference cycles count too;
- sync, run on the sample, records nothing: the bulk records are what it would have written.
Results go in docs/benchmarks.md."""

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# The same throwaway demo site as the notice benchmark (run as scripts: benchmarks/ is on the path).
from notice_views import build_site, setup_django

LIMIT = 1000  # the change API's largest page, as a mirror catching up reads it
QUERY_BUDGET = 3
MEMORY_RATIO = 1.25
POLLS = 30
# The bulk history: one change every 10 minutes from here (30,000 changes: about 7 months).
HISTORY_START = datetime(2024, 1, 1, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
STEP = timedelta(minutes=10)
EXPORTS = [
    ("JSON", "/api/disclosure/catalogue.json"),
    ("CSV", "/api/disclosure/catalogue.csv"),
    ("XLSX", "/api/disclosure/catalogue.xlsx"),
]


def kind_of(n: int) -> str:
    """What happened to the n-th bulk item: every one was created; 30% were edited since (2%
    revised, replaced by their neighbour), 20% withdrawn (15% unpublished, 5% repealed)."""
    if n % 50 == 0:
        return "revised"
    if n % 10 in (0, 1, 2):
        return "updated"
    if n % 20 == 3:
        return "repealed"
    if n % 10 in (3, 4):
        return "unpublished"
    return "plain"


# When each kind's later change comes, counted in items created after it.
LATER = {"updated": 40, "revised": 40, "unpublished": 90, "repealed": 90}


def history(first: int, count: int, last_sequence: int) -> dict[int, list[tuple]]:
    """{n: [(sequence, at, action), ...]}: the batch's changes numbered after the last one,
    in the order they happened."""
    events = []
    for n in range(first, first + count):
        events.append((n, 0, n, "created"))
        kind = kind_of(n)
        if kind in LATER:
            action = "withdrawn" if kind in ("unpublished", "repealed") else "updated"
            events.append((n + LATER[kind], 1, n, action))
    events.sort()
    found: dict[int, list[tuple]] = {}
    for offset, (_when, _order, n, action) in enumerate(events, start=1):
        sequence = last_sequence + offset
        found.setdefault(n, []).append((sequence, HISTORY_START + sequence * STEP, action))
    return found


def insert_pages(pages: list, parent) -> None:
    """Insert specific pages straight into the tables: Django cannot bulk_create multi-table
    models, and publishing 20,000 pages one by one through Wagtail would take most of an hour
    here. The rows are what Wagtail stores for a page (no revisions: serving needs none)."""
    from django.db import connection
    from wagtail.models import Page

    model = type(pages[0])
    parent_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in parent_fields}) for page in pages],
        batch_size=500,
    )
    ids = dict(Page.objects.filter(path__startswith=parent.path).values_list("path", "pk"))
    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = []
    for page in pages:
        page.id = page.page_ptr_id = ids[page.path]
        rows.append([f.get_db_prep_save(getattr(page, f.attname), connection) for f in fields])
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))


def new_regulation(n: int, step: int, index, changes: list[tuple]):
    """The n-th bulk regulation as it is now, after its changes, the `step`-th new child of
    the index."""
    from regulations.models import RegulationPage

    kind = kind_of(n)
    created_at, last_at = changes[0][1], changes[-1][1]
    published = kind != "unpublished"
    slug = f"bench-rule-{n}"
    title = f"供热服务压力测试管理办法（第{n}号）"
    return RegulationPage(
        title=title,
        draft_title=title,
        slug=slug,
        path=RegulationPage._get_path(index.path, index.depth + 1, index.numchild + step),
        depth=index.depth + 1,
        numchild=0,
        url_path=f"{index.url_path}{slug}/",
        live=published,
        has_unpublished_changes=not published,
        first_published_at=created_at,
        last_published_at=last_at if published else created_at,
        locale_id=index.locale_id,
        translation_key=uuid.uuid4(),
        search_description=f"本办法规定第{n}号供热服务事项的受理条件、办理流程、时限与监督方式。",
        document_number=f"长供热〔{created_at.year}〕{n}号",
        issuing_body="长春市压力测试供热有限公司",
        effective_date=created_at.date(),
        source_key=slug,
        keywords="供热服务、办理时限" if n % 2 else "",
        body=[],
    )


def bulk_regulations(first: int, count: int) -> dict[str, list[int]]:
    """Add `count` regulations (numbered from `first`) with the catalogue records sync would
    have written for their history: an item each, its 索引号 from the column's yearly serials,
    its changes numbered on from the last one, snapshots made by `catalogue.changes.snapshot`.
    Returns the page ids by kind."""
    from django.db import transaction
    from django.utils import timezone

    from catalogue.changes import snapshot
    from catalogue.columns import RULES, Column
    from catalogue.enums import Validity
    from catalogue.index_numbers import NO_CREDIT_CODE
    from catalogue.metadata import site_settings
    from catalogue.models import CatalogueChange, CatalogueItem, CatalogueSequence, IndexSerial
    from regulations.models import RegulationIndexPage, RegulationPage

    column = Column.REGULATIONS
    code = RULES[column].code
    settings = site_settings()
    index = RegulationIndexPage.objects.get()
    last_sequence = CatalogueSequence.objects.get(pk=1).last
    plan = history(first, count, last_sequence)
    pages = {
        n: new_regulation(n, n - first + 1, index, plan[n]) for n in range(first, first + count)
    }
    serials = dict(
        IndexSerial.objects.filter(column_code=code).values_list("year", "last").iterator()
    )
    with transaction.atomic():
        insert_pages(list(pages.values()), index)
        numbers, items, versions = {}, [], {}
        for n in sorted(plan, key=lambda n: plan[n][0][0]):  # numbered as they were created
            year = timezone.localdate(pages[n].first_published_at).year
            serials[year] = serials.get(year, 0) + 1
            numbers[n] = (
                f"{settings.credit_code or NO_CREDIT_CODE}/{code}-{year}-{serials[year]:05d}"
            )
        for n, page in pages.items():
            kind, changes = kind_of(n), plan[n]
            first_version = snapshot(page, column, numbers[n], settings)
            if kind in ("updated", "revised"):
                first_version["title"] = f"{page.title}（试行）"
            if kind in ("revised", "repealed"):
                page.validity = Validity.REVISED if kind == "revised" else Validity.REPEALED
                page.validity_changed_on = timezone.localdate(changes[-1][1])
                if kind == "revised":
                    page.replaced_by_id = pages[n + 1 if n + 1 in pages else n - 1].pk
            now = snapshot(page, column, numbers[n], settings)
            versions[n] = [first_version] + [now] * (len(changes) - 1)
            items.append(
                CatalogueItem(
                    page_id=page.pk,
                    index_number=numbers[n],
                    column=column,
                    in_catalogue=kind not in ("unpublished", "repealed"),
                    withdrawn_reason=kind if kind in ("unpublished", "repealed") else "",
                    snapshot=now,
                    updated_at=changes[-1][1],
                    last_change=changes[-1][0],
                )
            )
        # Inserted as first published; revised and repealed since (a repealed page stays live).
        RegulationPage.objects.bulk_update(
            [page for page in pages.values() if page.validity != Validity.VALID],
            ["validity", "validity_changed_on", "replaced_by"],
            batch_size=500,
        )
        CatalogueItem.objects.bulk_create(items, batch_size=1000)
        item_ids = dict(
            CatalogueItem.objects.filter(page_id__in=[p.pk for p in pages.values()]).values_list(
                "page_id", "pk"
            )
        )
        CatalogueChange.objects.bulk_create(
            [
                CatalogueChange(
                    sequence=sequence,
                    item_id=item_ids[pages[n].pk],
                    action=action,
                    reason=kind_of(n) if action == "withdrawn" else "",
                    at=at,
                    snapshot=version,
                )
                for n, changes in plan.items()
                for (sequence, at, action), version in zip(changes, versions[n], strict=True)
            ],
            batch_size=1000,
        )
        for year, last in serials.items():
            IndexSerial.objects.update_or_create(
                column_code=code, year=year, defaults={"last": last}
            )
        total = sum(len(changes) for changes in plan.values())
        CatalogueSequence.objects.filter(pk=1).update(last=last_sequence + total)
    found: dict[str, list[int]] = {}
    for n, page in pages.items():
        found.setdefault(kind_of(n), []).append(page.pk)
    return found


def sync_records_nothing(kinds: dict[str, list[int]], per_kind: int = 10) -> list[int]:
    """Run the real sync on a sample of every kind of bulk item: the pages whose sync would
    record a change (so whose bulk records are not what sync writes)."""
    from catalogue.changes import sync

    sample = [
        page_id
        for ids in kinds.values()
        for page_id in ids[:: max(1, len(ids) // per_kind)][:per_kind]
    ]
    return [page_id for page_id in sample if sync(page_id) is not None]


def get(client, url: str, traced: bool, **headers) -> dict:
    """One request, its streamed body consumed as a client would (counted, not kept). Traced,
    the garbage collector is paused: what only it would free (objects in reference cycles)
    counts in the peak too, which then does not depend on when the collector happens to run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if traced:
        gc.collect()
        gc.disable()
        tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            if response.streaming:
                size = sum(len(chunk) for chunk in response.streaming_content)
            else:
                size = len(response.content)
            seconds = time.perf_counter() - started
        response.close()
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
    finally:
        if traced:
            tracemalloc.stop()
            gc.enable()
    return {
        "seconds": seconds,
        "queries": len(captured),
        "bytes": size,
        "peak_mb": peak / 2**20,
        "response": response,
    }


def mirror(client) -> dict:
    """Read the change log from the start, LIMIT changes a page, as a mirror catching up does;
    then poll the end with the page's ETag. Timed and counted untraced, then read again under
    tracemalloc for each page's peak memory."""
    pages, since = [], "0"
    while True:
        url = f"/api/disclosure/changes/?since={since}&limit={LIMIT}"
        result = get(client, url, traced=False)
        body = json.loads(result.pop("response").content)
        result["changes"] = len(body["changes"])
        result["peak_mb"] = get(client, url, traced=True)["peak_mb"]
        pages.append(result)
        since = body["cursor"]
        if not body["has_more"]:
            break
    poll = f"/api/disclosure/changes/?since={since}&limit={LIMIT}"
    etag = client.get(poll)["ETag"]
    polls = [get(client, poll, traced=False, HTTP_IF_NONE_MATCH=etag) for _ in range(POLLS)]
    assert {p["response"].status_code for p in polls} == {304}
    times = [p["seconds"] * 1000 for p in pages]
    return {
        "changes": sum(p["changes"] for p in pages),
        "pages": len(pages),
        "total_s": sum(p["seconds"] for p in pages),
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "queries": sorted({p["queries"] for p in pages}),
        "page_kb": statistics.median(p["bytes"] for p in pages) / 1024,
        "peak_mb": max(p["peak_mb"] for p in pages),
        "poll_ms": statistics.median(p["seconds"] * 1000 for p in polls),
        "poll_queries": max(p["queries"] for p in polls),
    }


def exports(client) -> dict[str, dict]:
    """Each export timed and counted untraced, then again under tracemalloc for its peak."""
    found = {}
    for name, url in EXPORTS:
        result = get(client, url, traced=False)
        response = result.pop("response")
        assert response.status_code == 200, (name, response.status_code)
        result["peak_mb"] = get(client, url, traced=True)["peak_mb"]
        found[name] = result
    return found


def counted(client) -> None:
    """The JSON and CSV exports hold every live item (outside the measurements)."""
    from catalogue.models import CatalogueItem

    live = CatalogueItem.objects.filter(in_catalogue=True).count()
    body = b"".join(client.get(EXPORTS[0][1]).streaming_content)
    assert len(json.loads(body)["items"]) == live
    text = b"".join(client.get(EXPORTS[1][1]).streaming_content).decode()
    assert text.count("\r\n") == live + 1


def measure(client, label: str) -> dict:
    from catalogue.models import CatalogueItem

    counted(client)
    items = CatalogueItem.objects.count()
    live = CatalogueItem.objects.filter(in_catalogue=True).count()
    started = time.perf_counter()
    result = {"items": items, "live": live, "mirror": mirror(client), "exports": exports(client)}
    print(
        f"\n{label}: {items:,} items ({live:,} live), measured in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return result


def print_tables(small: dict, large: dict) -> None:
    print("\nChange API: a mirror reads the whole log from since=0, limit=1000")
    print(
        f"{'items':>7} {'changes':>7} {'pages':>5} {'total s':>7} {'median ms':>9} "
        f"{'max ms':>7} {'queries/page':>12} {'KB/page':>7} {'peak MB/page':>12} "
        f"{'304 ms':>6} {'304 q':>5}"
    )
    for run in (small, large):
        m = run["mirror"]
        print(
            f"{run['items']:7,} {m['changes']:7,} {m['pages']:5d} {m['total_s']:7.2f} "
            f"{m['median_ms']:9.1f} {m['max_ms']:7.1f} {'/'.join(map(str, m['queries'])):>12} "
            f"{m['page_kb']:7.0f} {m['peak_mb']:12.1f} {m['poll_ms']:6.1f} {m['poll_queries']:5d}"
        )
    print("\nFull exports, streamed and consumed (peak: tracemalloc, Python allocations)")
    print(
        f"{'format':6} {'live items':>10} {'total s':>7} {'queries':>7} {'size MB':>7} "
        f"{'peak MB':>7} {'peak ×':>6} {'KB/1k items':>11}"
    )
    for name, _url in EXPORTS:
        for run in (small, large):
            e = run["exports"][name]
            growth = ""
            if run is large:
                ratio, per_thousand = memory_growth(small, large, name)
                growth = f"{ratio:6.2f} {per_thousand:11.0f}"
            print(
                f"{name:6} {run['live']:10,} {e['seconds']:7.2f} {e['queries']:7d} "
                f"{e['bytes'] / 2**20:7.2f} {e['peak_mb']:7.2f} {growth}"
            )


def memory_growth(small: dict, large: dict, name: str) -> tuple[float, float]:
    """An export's peak at the large size over the small one's, and the KB it grew by per
    1,000 more live items."""
    before, after = small["exports"][name]["peak_mb"], large["exports"][name]["peak_mb"]
    thousands = (large["live"] - small["live"]) / 1000
    return after / before, (after - before) * 1024 / thousands


def verdicts(small: dict, large: dict, wrong_syncs: list[int]) -> list[str]:
    """The promises that failed (see the module's docstring)."""
    failed = []
    per_page = small["mirror"]["queries"] + large["mirror"]["queries"]
    if max(small["mirror"]["queries"]) != max(large["mirror"]["queries"]) or (
        max(per_page) > QUERY_BUDGET
    ):
        failed.append(f"change API queries per page {per_page}, budget {QUERY_BUDGET}")
    if large["mirror"]["poll_queries"] != 1:
        failed.append(f"304 poll took {large['mirror']['poll_queries']} queries, not 1")
    for name, _url in EXPORTS:
        ratio, _per_thousand = memory_growth(small, large, name)
        if ratio > MEMORY_RATIO:
            failed.append(f"{name} export peak memory grew {ratio:.1f}× (limit {MEMORY_RATIO}×)")
    if wrong_syncs:
        failed.append(f"sync recorded changes for bulk pages {wrong_syncs}")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=5_000)
    args = parser.parse_args()
    if not 1000 <= args.small < args.items:
        # Below that the small size's live items do not fill two export chunks of 500.
        parser.error("--small must be at least 1000 and below --items")
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as var_dir:
        setup_django(var_dir)
        from django.test import Client

        started = time.perf_counter()
        build_site()
        print(f"demo site built in {time.perf_counter() - started:.0f} s")
        client = Client(HTTP_HOST="localhost")
        for _name, url in EXPORTS:  # imports and caches warmed, as in service
            b"".join(client.get(url).streaming_content)
        runs, kinds = [], {}
        for first, count in ((0, args.small), (args.small, args.items - args.small)):
            started = time.perf_counter()
            for kind, ids in bulk_regulations(first, count).items():
                kinds.setdefault(kind, []).extend(ids)
            print(f"\n{count:,} regulations inserted in {time.perf_counter() - started:.0f} s")
            runs.append(measure(client, f"{first + count:,} bulk regulations"))
        wrong = sync_records_nothing(kinds)
        print(
            f"\nsync on {sum(min(10, len(ids)) for ids in kinds.values())} sampled bulk pages "
            f"({', '.join(sorted(kinds))}): {'nothing new' if not wrong else wrong}"
        )
        print_tables(*runs)
        failed = verdicts(*runs, wrong)
        print("\n" + ("all promises hold" if not failed else "FAILED: " + "; ".join(failed)))
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
