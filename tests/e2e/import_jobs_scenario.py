"""Run by tests/jobs/test_import_cluster.py in its own processes, against the database of
DATABASE_URL. Prints JSON.

- `setup ROWS`: an editor and a directory CSV of ROWS new communities, uploaded as the admin
  does (contacts.import_job.start): the job is queued for a cluster.
- `writer JOB`: a resident's process: subscribes to SMS alerts through the public form (Django's
  test client: the whole view, middleware and writes), one new number after another, until the
  job has finished; each post's status, duration and the job's step before and after it.
- `status JOB`: the job as its progress page would show it, and the communities it made."""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from contacts import import_job  # noqa: E402
from contacts.models import Community, Station  # noqa: E402
from importers.directory_csv import write_directory_csv  # noqa: E402
from jobs.models import ImportJob  # noqa: E402

PREFIX = "E2E-"
# The job's steps in order (contacts.directory_csv); the write transaction is WRITE's.
STEPS = ["", "读取并检查文件", "准备数据", "写入数据库", "更新缓存和搜索索引"]
WRITE = STEPS.index("写入数据库")
WRITER_LIMIT = 300  # seconds


def setup(rows: str) -> dict:
    editor = get_user_model().objects.create_user(username="e2e-importer")
    editor.groups.add(Group.objects.get(name="编辑"))
    stations = list(Station.objects.values_list("name", flat=True))
    data = write_directory_csv(
        [
            {
                "code": f"{PREFIX}{number:06d}",
                "name": f"压力测试{number}号小区",
                "aliases": f"压测{number}",
                "district": "绿园区",
                "address": f"星宇路{number}号",
                "households": str(100 + number % 900),
                "station": stations[number % len(stations)],
                "manager_name": "测试管理员",
                "manager_phone": "0431-0000-0000",
            }
            for number in range(int(rows))
        ]
    )
    job = import_job.start(data, filename="e2e.csv", user=editor)  # queued on commit
    return {"job": job.pk}


def writer(job_id: str) -> dict:
    posts = []
    Client(HTTP_HOST="localhost").get(reverse("alerts_subscribe"))  # a new process's first view
    deadline = time.monotonic() + WRITER_LIMIT
    number = 0
    while time.monotonic() < deadline:
        before = _step(job_id)
        client = Client(HTTP_HOST="localhost", REMOTE_ADDR=f"10.9.{number // 250}.{number % 250}")
        started = time.monotonic()
        try:
            response = client.post(
                reverse("alerts_subscribe"),
                {
                    "phone": f"1390{number:07d}",
                    "utilities": ["heat"],
                    "communities": "LY-0001",
                    "consent": "on",
                },
            )
            outcome = str(response.status_code)
        except Exception as exc:  # a 500: what the view raised
            outcome = f"{type(exc).__name__}: {exc}"
        seconds = time.monotonic() - started
        after = _step(job_id)
        posts.append({"outcome": outcome, "seconds": round(seconds, 3), "steps": [before, after]})
        number += 1
        if after is None:
            break
        time.sleep(0.02)
    return {
        "posts": len(posts),
        "outcomes": sorted({post["outcome"] for post in posts}),
        "slowest": max(post["seconds"] for post in posts),
        "during_write": [post for post in posts if _overlaps_write(*post["steps"])],
    }


def _step(job_id: str) -> str | None:
    """The job's step; None once it has finished."""
    job = ImportJob.objects.get(pk=job_id)
    return None if job.finished else job.stage


def _overlaps_write(before, after) -> bool:
    """The post began before the write step ended and ended after it began."""
    first = STEPS.index(before) if before is not None else len(STEPS)
    last = STEPS.index(after) if after is not None else len(STEPS)
    return first <= WRITE <= last


def status(job_id: str) -> dict:
    job = ImportJob.objects.get(pk=job_id)
    return {
        "status": job.status,
        "message": job.message,
        "errors": job.errors,
        "done": job.done,
        "total": job.total,
        "communities": Community.objects.filter(code__startswith=PREFIX).count(),
    }


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    commands = {"setup": setup, "writer": writer, "status": status}
    print(json.dumps(commands[command](*arguments), ensure_ascii=False))
