#!/usr/bin/env python
"""Imports through their jobs (jobs.runner) on the embedded profile: SQLite in WAL mode, one
writer at a time, whom every other writer (a resident's subscription, a service request) waits
for up to the busy timeout (20 s).

    .venv/bin/python benchmarks/import_jobs.py [--rows 8000 20000] [--articles 20000]

A throwaway VAR_DIR with the demo site. Each import is queued as the admin queues it, and its
task is run as a cluster's worker runs it, in a process of its own, for:
- the directory CSV with each `--rows` of new communities, then the largest file again with
  every row changed (the updates);
- a Word regulation of `--articles` articles (benchmarks/docx_import.make_regulation, with 50
  tables): its preview job, then its import job.

Per job: the task's wall time; the longest write transaction inside it; the longest time
another writer waited for the lock meanwhile (a probe in this process: BEGIN IMMEDIATE, COMMIT,
every 10 ms, with the site's busy timeout; SQLite's busy handler looks again every 100 ms at
most, so this reads up to 0.1 s above the hold); the task process's peak resident memory, and
its size when the job began."""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sms_fanout import setup_django  # noqa: E402


def directory_csv(rows: int, prefix: str, changed: bool = False) -> bytes:
    from contacts.models import Station
    from importers.directory_csv import write_directory_csv

    stations = list(Station.objects.order_by("pk").values_list("name", flat=True))
    suffix = "（新）" if changed else ""
    return write_directory_csv(
        [
            {
                "code": f"{prefix}-{number:06d}",
                "name": f"基准{number}号小区{suffix}",
                "aliases": f"基准{number}、{prefix}{number}",
                "district": "绿园区",
                "address": f"长春市绿园区星宇路{number}号{suffix}",
                "households": str(100 + number % 900 + changed),
                "station": stations[(number + changed) % len(stations)],
                "manager_name": "测试管理员",
                "manager_phone": "0431-0000-0000",
            }
            for number in range(rows)
        ]
    )


class LockProbe(threading.Thread):
    """Another writer: the longest it waited for the write lock."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database, self.longest, self.tries = database, 0.0, 0
        self.done = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=20, isolation_level=None)
        while not self.done.is_set():
            started = time.perf_counter()
            connection.execute("BEGIN IMMEDIATE")
            self.longest = max(self.longest, time.perf_counter() - started)
            connection.execute("COMMIT")
            self.tries += 1
            time.sleep(0.01)
        connection.close()

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.longest


def run_job(label: str, job, task: str, var_dir: str) -> dict:
    from django.conf import settings

    from jobs.models import ImportJob

    probe = LockProbe(str(settings.DATABASES["default"]["NAME"]))
    probe.start()
    child = subprocess.run(
        [sys.executable, __file__, "--task", task, "--job", str(job.pk)],
        env={**os.environ, "VAR_DIR": var_dir},
        capture_output=True,
        text=True,
        check=True,
    )
    waited = probe.stop()
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    job = ImportJob.objects.get(pk=job.pk)
    return {
        "label": label,
        "status": job.status,
        "message": job.message,
        "waited": waited,
        **figures,
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: Linux keeps getrusage's ru_maxrss across
    exec, so a child started by a big parent would report the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_task(task: str, job_id: int) -> None:
    """In the task's own process: run it as a worker would, and measure."""
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils.module_loading import import_string

    settings.DEBUG = False
    logging.disable(logging.WARNING)
    held = []
    enter, leave = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def timed_enter(self):
        self._outermost = not connection.in_atomic_block
        self._began = time.perf_counter()
        return enter(self)

    def timed_exit(self, *exc):
        try:
            return leave(self, *exc)
        finally:
            if self._outermost:
                held.append(time.perf_counter() - self._began)

    transaction.Atomic.__enter__, transaction.Atomic.__exit__ = timed_enter, timed_exit
    before = peak_rss_mb()
    started = time.perf_counter()
    import_string(task)(job_id)
    wall = time.perf_counter() - started
    peak = peak_rss_mb()
    print(
        json.dumps(
            {
                "wall": wall,
                "longest_transaction": max(held, default=0.0),
                "transactions": len(held),
                "rss_before_mb": before,
                "rss_peak_mb": peak,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[8000, 20000])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.task:
        return run_task(arguments.task, arguments.job)

    var_dir = tempfile.mkdtemp(prefix="bench-import-jobs-")
    setup_django(var_dir)
    from django.contrib.auth import get_user_model

    from benchmarks.docx_import import make_regulation
    from contacts import import_job as directory_job
    from regulations import import_job as regulation_job
    from regulations.models import RegulationIndexPage

    user = get_user_model().objects.create_superuser("bench", "bench@example.cn", "bench")
    results = []
    for rows in arguments.rows:
        job = directory_job.start(directory_csv(rows, f"B{rows}"), filename="名录.csv", user=user)
        label = f"directory CSV, {rows:,} new rows"
        results.append(run_job(label, job, "contacts.import_job.directory_import_task", var_dir))
    largest = max(arguments.rows)
    data = directory_csv(largest, f"B{largest}", changed=True)
    job = directory_job.start(data, filename="名录.csv", user=user)
    label = f"directory CSV, {largest:,} rows all changed"
    results.append(run_job(label, job, "contacts.import_job.directory_import_task", var_dir))

    started = time.perf_counter()
    path = make_regulation(Path(var_dir) / "regulation.docx", arguments.articles, 50)
    made = time.perf_counter() - started
    data = path.read_bytes()
    parent = RegulationIndexPage.objects.get()
    preview = regulation_job.start_preview(
        data, filename="regulation.docx", parent=parent, title="", user=user
    )
    label = f".docx, {arguments.articles:,} articles: preview"
    results.append(run_job(label, preview, "regulations.import_job.preview_task", var_dir))
    preview.refresh_from_db()
    job = regulation_job.start_import(preview, user=user)
    label = f".docx, {arguments.articles:,} articles: import"
    results.append(run_job(label, job, "regulations.import_job.import_task", var_dir))

    print(f"regulation: {len(data) / 1024 / 1024:.1f} MB, generated in {made:.0f} s")
    print(
        "| job | status | wall s | longest write transaction s | longest wait of another "
        "writer s | peak RSS MB (at start) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for result in results:
        print(
            f"| {result['label']} | {result['status']} | {result['wall']:.1f} | "
            f"{result['longest_transaction']:.2f} | {result['waited']:.2f} | "
            f"{result['rss_peak_mb']:.0f} ({result['rss_before_mb']:.0f}) |"
        )
    for result in results:
        print(f"{result['label']}: {result['message']}")


if __name__ == "__main__":
    main()
