"""Run by tests/core/test_ratelimit_exact.py, several at once, each in its own process, against
the database of DATABASE_URL: one contender of a race. Its threads (each with its own database
connection) get ready, then the process prints `ready` and waits for `go` on stdin, so every
thread of every process starts together; then it prints JSON.

- `attempts SCOPE KEY LIMIT WINDOW THREADS EACH`: each thread counts EACH attempts with
  `core.ratelimit.attempt`; answers the attempts allowed and the Retry-After of the refused.
- `posts JSON`: one thread per item of the JSON list, each POSTing once with its own test
  client: `{"form": "subscribe" | "servicedesk", "phone": ..., "ip": ...}` to the real views;
  answers each response's status and Retry-After, the numbers texted (the test settings'
  in-memory SMS backend, in this process) and the sessions made.
- `cleanup JSON`: deletes what `posts` and `attempts` left, for a database shared with the
  suite (PostgreSQL): `{"phones": [...], "sessions": [...], "counters": [[scope, key], ...]}`.
  Answers the number's codes and service requests found before deleting them."""

import json
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from alerts.models import Subscriber  # noqa: E402
from core import ratelimit  # noqa: E402
from core.models import RateCounter  # noqa: E402
from servicedesk.enums import RequestKind  # noqa: E402
from servicedesk.models import ServiceRequest  # noqa: E402
from sms.backends import locmem  # noqa: E402
from sms.models import VerificationCode  # noqa: E402

COMMUNITY = "LY-0001"


def race(work, count: int) -> list:
    """`work(index)` in `count` threads started together once the parent says go; their
    answers in order. A thread's database connection is open before the start."""
    ready = threading.Barrier(count + 1)
    go = threading.Event()
    answers = [None] * count

    def thread(index):
        connection.ensure_connection()
        ready.wait()
        go.wait()
        try:
            answers[index] = work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(index,)) for index in range(count)]
    for each in threads:
        each.start()
    ready.wait()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    go.set()
    for each in threads:
        each.join()
    return answers


def attempts(scope: str, key: str, limit: str, window: str, threads: str, each: str) -> dict:
    def work(index):
        return [ratelimit.attempt(scope, key, int(limit), int(window)) for _ in range(int(each))]

    waits = [wait for answer in race(work, int(threads)) for wait in answer]
    return {"allowed": waits.count(0), "refused_waits": sorted({w for w in waits if w})}


def _post(item: dict):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=item["ip"])
    if item["form"] == "subscribe":
        url = reverse("alerts_subscribe")
        data = {"phone": item["phone"], "utilities": ["heat"], "communities": COMMUNITY}
        data["consent"] = "on"
    else:
        url = reverse("servicedesk_form", args=(RequestKind.COMPLAINT.value,))
        data = {"community": COMMUNITY, "phone": item["phone"], "description": "暖气不热。"}
    return client, client.post(url, data)


def posts(items: str) -> dict:
    items = json.loads(items)
    Client(HTTP_HOST="localhost").get(reverse("alerts_subscribe"))  # URL conf, templates
    results = race(lambda index: _post(items[index]), len(items))
    return {
        "responses": [
            [response.status_code, response.get("Retry-After")] for _, response in results
        ],
        "texted": [number for numbers, *_ in locmem.outbox for number in numbers],
        "sessions": [client.session.session_key for client, _ in results if client.session],
    }


def cleanup(what: str) -> dict:
    what = json.loads(what)
    phones = what.get("phones", [])
    found = {
        "codes": VerificationCode.objects.filter(phone__in=phones).count(),
        "service_requests": ServiceRequest.objects.filter(phone__in=phones).count(),
    }
    VerificationCode.objects.filter(phone__in=phones).delete()
    ServiceRequest.objects.filter(phone__in=phones).delete()
    Subscriber.objects.filter(phone__in=phones).delete()
    Session.objects.filter(session_key__in=what.get("sessions", [])).delete()
    counters = [ratelimit.scope_key(scope, key) for scope, key in what.get("counters", [])]
    counters += [ratelimit.scope_key("sms-code-requests", phone) for phone in phones]
    RateCounter.objects.filter(scope_key__in=counters).delete()
    return found


if __name__ == "__main__":
    mode, *arguments = sys.argv[1:]
    answer = {"attempts": attempts, "posts": posts, "cleanup": cleanup}[mode](*arguments)
    print(json.dumps(answer), flush=True)
