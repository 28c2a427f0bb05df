"""Run by tests/servicedesk/test_servicedesk_cluster.py in its own process, against the database of
DATABASE_URL. Prints JSON.

- `setup`: a station's staff member and a 审核 supervisor (with e-mail addresses) and four
  requests: one past its contact reminder time, one past its contact deadline without contact,
  one closed with its return call's ONCE schedule due now, one whose receipt text is queued
  twice (as a redelivery would leave it); the closing text is queued by closing. The minute
  schedule `servicedesk-check-deadlines` is made due.
- `redeliver`: what a restart may bring back: the texts and the return call's task queued
  again, the minute schedule due again.
- `status`: each request's alerts, events, texts; the runs since setup of the minute schedule
  and of the return call's; the service desk's failed tasks; the queue's length.
- `cleanup`: removes what setup made (and the figures its requests changed).

The other schedules run with these when their time comes; on the test database they find
nothing to do that texts anyone (no subscribers, every message done, no service requests)."""

import json
import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db.models import Min  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_q.brokers import get_broker  # noqa: E402
from django_q.models import Schedule, Success, Task  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from config.schedules import ensure_schedules  # noqa: E402
from contacts.models import Community  # noqa: E402
from servicedesk import workflow  # noqa: E402
from servicedesk.models import ServiceRequest  # noqa: E402
from servicedesk.scheduling import return_visit_schedule_name  # noqa: E402
from servicedesk.tasks import refresh_compliance  # noqa: E402
from tests.factories.servicedesk import make_request, make_station_staff  # noqa: E402

PREFIX = "1397"  # the requests' numbers: PREFIX + the role's number
ROLES = {"reminder": 1, "escalation": 2, "closed": 3, "receipt": 4}
USERS = "e2e-desk-"  # the users' names
CHECK_DEADLINES = "servicedesk-check-deadlines"
NOTIFY = "servicedesk.tasks.notify_resident"
RETURN_VISIT = "servicedesk.tasks.return_visit_due"


def setup() -> dict:
    now = timezone.now()
    community = Community.objects.select_related("station").order_by("code").first()
    staff = make_station_staff(
        community.station, username=f"{USERS}staff", email="e2e-staff@example.com"
    )
    supervisor = get_user_model().objects.create_user(
        username=f"{USERS}supervisor", email="e2e-supervisor@example.com"
    )
    supervisor.groups.add(Group.objects.get(name="审核"))

    def request(role: str, submitted_ago: timedelta, **deadlines) -> ServiceRequest:
        made = make_request(
            community=community, phone=_phone(role), submitted_at=now - submitted_ago
        )
        if deadlines:  # set exactly, whatever the published commitments say
            ServiceRequest.objects.filter(pk=made.pk).update(**deadlines)
        return made

    later = {
        "resolve_remind_at": now + timedelta(days=1),
        "resolve_due_at": now + timedelta(days=2),
    }
    requests = {
        "reminder": request(
            "reminder",
            timedelta(hours=1),
            contact_remind_at=now - timedelta(minutes=5),
            contact_due_at=now + timedelta(hours=1),
            **later,
        ),
        "escalation": request(
            "escalation",
            timedelta(hours=3),
            contact_remind_at=now - timedelta(hours=1),
            contact_due_at=now - timedelta(minutes=5),
            **later,
        ),
        "closed": request("closed", timedelta(hours=2)),
        "receipt": request(
            "receipt",
            timedelta(minutes=1),
            contact_remind_at=now + timedelta(hours=1),
            contact_due_at=now + timedelta(hours=2),
            **later,
        ),
    }
    closed = workflow.take(requests["closed"], staff)
    workflow.close(closed, staff, "已上门排查，调整入户阀门后室温恢复正常。")  # queues its text
    Schedule.objects.filter(name=return_visit_schedule_name(closed)).update(next_run=now)
    for _ in range(2):
        async_task(NOTIFY, requests["receipt"].pk, "received")
    ensure_schedules()
    Schedule.objects.filter(name=CHECK_DEADLINES).update(next_run=now - timedelta(minutes=1))
    return {
        "requests": {role: made.pk for role, made in requests.items()},
        "phones": {role: made.phone for role, made in requests.items()},
    }


def redeliver() -> dict:
    requests = _requests()
    receipt, closed = requests.get(phone=_phone("receipt")), requests.get(phone=_phone("closed"))
    async_task(NOTIFY, receipt.pk, "received")
    async_task(NOTIFY, closed.pk, "closed")
    async_task(RETURN_VISIT, closed.pk)
    past = timezone.now() - timedelta(minutes=1)
    Schedule.objects.filter(name=CHECK_DEADLINES).update(next_run=past)
    return status()


def status() -> dict:
    requests = _requests().prefetch_related("alerts", "events", "resident_messages")
    since = requests.aggregate(since=Min("created_at"))["since"]
    schedule = Schedule.objects.get(name=CHECK_DEADLINES)
    return_call = return_visit_schedule_name(requests.get(phone=_phone("closed")))
    return {
        "requests": {
            str(request.pk): {
                "alerts": {
                    alert.kind: {
                        "sent_at": alert.sent_at and alert.sent_at.isoformat(),
                        "recipients": alert.recipients,
                    }
                    for alert in request.alerts.all()
                },
                "events": dict(Counter(event.kind for event in request.events.all())),
                "escalated": request.escalated_at is not None,
                "texts": {
                    message.kind: message.sent_at is not None
                    for message in request.resident_messages.all()
                },
            }
            for request in requests
        },
        "check_deadlines": {
            "runs": Success.objects.filter(group=CHECK_DEADLINES, started__gte=since).count(),
            "due": schedule.next_run <= timezone.now(),
        },
        # The ONCE schedule: how often it started the task, whether it would again.
        "return_call": {
            "runs": Success.objects.filter(group=return_call, started__gte=since).count(),
            "pending": Schedule.objects.filter(name=return_call).exclude(repeats=0).exists(),
        },
        "failures": sorted(
            Task.objects.filter(
                func__startswith="servicedesk.", success=False, started__gte=since
            ).values_list("func", flat=True)
        ),
        "queued": _queued(),
    }


def _queued() -> int:
    """Tasks waiting or being worked on, on the broker configured (database or Redis)."""
    broker = get_broker()
    return broker.queue_size() + (broker.lock_size() or 0)


def cleanup() -> dict:
    requests = _requests()
    names = [return_visit_schedule_name(request) for request in requests]
    schedules = Schedule.objects.filter(name__in=names).delete()[0]
    deleted = requests.delete()[0]
    users = get_user_model().objects.filter(username__startswith=USERS).delete()[0]
    get_broker().purge_queue()  # tasks a failed run left on the queue
    refresh_compliance()  # the month's figures, without these requests
    return {"requests": deleted, "users": users, "schedules": schedules}


def _phone(role: str) -> str:
    return f"{PREFIX}{ROLES[role]:07d}"


def _requests():
    return ServiceRequest.objects.filter(phone__startswith=PREFIX).order_by("pk")


if __name__ == "__main__":
    command = sys.argv[1]
    commands = {"setup": setup, "redeliver": redeliver, "status": status, "cleanup": cleanup}
    print(json.dumps(commands[command]()))
