#!/usr/bin/env python
"""The service desk's background work at a big company's scale: the minute deadline check and
the compliance figures over two months of requests, and the public compliance page.

    .venv/bin/python benchmarks/servicedesk_jobs.py [--requests 50000]

In a throwaway SQLite database with the demo content: `--requests` routed requests spread over
this month and the last across every station (a fifth still open, some of those past their
deadlines), then
- check_deadlines, first run: raises the reminders and escalations due (one StaffAlert, event
  and e-mail each; e-mails to Django's in-memory backend), at most 500 of each kind a run; then
  the runs it takes to work off the backlog;
- check_deadlines, steady state: the same minute job with nothing new to raise — what it costs
  every minute, for ever; compared with a baseline measured in the same run, the same job over
  a hundredth of the requests, to show it does not grow with the number of closed requests;
- refresh_compliance of both months (wall time, peak Python memory);
- the compliance page, uncached: wall time and SQL queries per view."""

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.sms_fanout import setup_django


def make_requests(count: int, seed: int = 9) -> dict:
    """`count` routed requests of the last ~50 days, in bulk; a fifth open."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from contacts.models import Community
    from servicedesk.enums import RequestKind, RequestStatus
    from servicedesk.models import ServiceRequest

    rng = random.Random(seed)  # noqa: S311 - the same data on every run
    now = timezone.now()
    communities = list(Community.objects.values_list("pk", "station_id"))
    owner, _created = get_user_model().objects.get_or_create(
        username="bench-owner", defaults={"email": "owner@example.com"}
    )
    kinds = list(RequestKind)
    rows = []
    for index in range(count):
        community_id, station_id = rng.choice(communities)
        submitted = now - timedelta(minutes=rng.randrange(50 * 24 * 60))
        open_ = index % 5 == 0
        contacted = submitted + timedelta(minutes=rng.randrange(5, 180))
        closed = submitted + timedelta(hours=rng.randrange(1, 60))
        rows.append(
            ServiceRequest(
                reference=f"BENCH-{index:08d}",
                tracking_token=f"bench-{index}",
                kind=rng.choice(kinds),
                status=RequestStatus.IN_PROGRESS if open_ else RequestStatus.CLOSED,
                community_id=community_id,
                station_id=station_id,
                phone=f"139{index:08d}",
                description="压力测试",
                submitted_at=submitted,
                contact_due_at=submitted + timedelta(hours=1),
                contact_remind_at=submitted + timedelta(minutes=48),
                resolve_due_at=submitted + timedelta(hours=24),
                resolve_remind_at=submitted + timedelta(hours=19),
                owner=owner,
                first_contact_at=None if open_ and index % 10 == 0 else min(contacted, now),
                closed_at=None if open_ else min(closed, now),
                rating=rng.choice([None, None, 5, 4, 4, 3, 2]) if not open_ else None,
            )
        )
    ServiceRequest.objects.bulk_create(rows, batch_size=2000)
    return {"open": sum(1 for row in rows if row.closed_at is None)}


def timed(func, *args):
    tracemalloc.start()
    started = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / 2**20


def drain() -> tuple[int, float]:
    """Run the minute job until it has nothing left to raise or send: (runs, seconds)."""
    from servicedesk.tasks import check_deadlines

    runs, started = 0, time.perf_counter()
    while any(check_deadlines().values()):
        runs += 1
    return runs, time.perf_counter() - started


def steady_check(runs: int) -> float:
    from servicedesk.tasks import check_deadlines

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        check_deadlines()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_view(runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import page_cache
    from servicedesk.compliance import CACHE_TAG

    client = Client(HTTP_HOST="localhost")
    times, queries = [], 0
    for _ in range(runs):
        page_cache.invalidate(CACHE_TAG)  # uncached: the view renders every time
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/service/compliance/")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
        queries = len(captured)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-servicedesk-") as var_dir:
        setup_django(var_dir)
        from django.conf import settings

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        from servicedesk.models import ServiceRequest, StaffAlert
        from servicedesk.tasks import check_deadlines, refresh_compliance

        baseline_count = max(args.requests // 100, 100)
        make_requests(baseline_count, seed=1)
        drain()
        baseline = steady_check(5)
        ServiceRequest.objects.all().delete()

        made = make_requests(args.requests)
        first, first_s, first_mb = timed(check_deadlines)
        drain_runs, drain_s = drain()
        steady = steady_check(5)
        figures, figures_s, figures_mb = timed(refresh_compliance)
        page_s, page_queries = page_view(5)

        print(f"\n{args.requests:,} requests ({made['open']:,} open), SQLite")
        print(f"{'work':52} {'wall s':>8} {'peak MB':>8}")
        print(f"{'check_deadlines, first run':52} {first_s:8.2f} {first_mb:8.1f}")
        print(f"  raised: {first}")
        print(
            f"{f'  backlog worked off: {drain_runs} more runs':52} {drain_s:8.2f}"
            f"   ({StaffAlert.objects.count():,} alerts in all)"
        )
        print(f"{'check_deadlines, steady state (median of 5)':52} {steady:8.3f}")
        print(f"{f'  baseline: the same over {baseline_count:,} requests':52} {baseline:8.3f}")
        print(
            f"  ratio steady / baseline: {steady / baseline:.1f}x for {args.requests / baseline_count:.0f}x the requests"
        )
        print(f"{'refresh_compliance, two months':52} {figures_s:8.2f} {figures_mb:8.1f}")
        print(f"  {figures}")
        print(f"{'compliance page, uncached (median of 5)':52} {page_s:8.3f}")
        print(f"  SQL queries per view: {page_queries}")


if __name__ == "__main__":
    main()
