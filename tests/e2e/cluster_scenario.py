"""Run by tests/alerts/test_cluster_fan_out.py and tests/config/test_faults.py in its own process, against the
database of DATABASE_URL: `setup N [COPIES]` creates N subscribers and publishes a major notice
(its SMS task goes on the real queue, with COPIES more of it; its 公众号 task too when the
account is configured); `followers N` binds N 公众号 followers to the notice's community first; `status` reports the notice's
messages and deliveries, `report` the delivery report of its message (alerts.dispatch.report);
`due` queues what is due, as the minute schedule does (and reports as `status`); `cleanup` removes what setup made.
Prints JSON."""

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

from django.utils import timezone  # noqa: E402
from django_q.models import OrmQ  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from alerts import dispatch  # noqa: E402
from alerts.followers import bindings  # noqa: E402
from alerts.models import Delivery, OutboundMessage, Subscriber, WeChatFollower  # noqa: E402
from alerts.tasks import dispatch_due  # noqa: E402
from contacts.models import Community  # noqa: E402
from notices.models import OutageNoticePage  # noqa: E402
from tests.factories.alerts import make_subscriber  # noqa: E402
from tests.factories.notices import make_notice  # noqa: E402

SLUG = "e2e-cluster-notice"
PREFIX = "1396"
OPENID_PREFIX = "oE2EClusterFollower"


def setup(count: int, copies: int = 0) -> dict:
    """`copies` more of the SMS task are queued right after the one publishing queues, as the
    minute schedule, a redelivery or a staff retry would add."""
    community = Community.objects.get(code="JY-0001")
    phones = [f"{PREFIX}{index:07d}" for index in range(count)]
    for phone in phones:
        make_subscriber([community], phone=phone)
    start = timezone.now() + timedelta(hours=3)
    notice = make_notice(
        communities=[community],
        slug=SLUG,
        kind="emergency",
        starts_at=start,
        ends_at=start + timedelta(hours=10),
    )
    message = OutboundMessage.objects.get(notice=notice, channel="sms")
    for _ in range(copies):
        async_task("alerts.tasks.send_message", message.pk, task_name=f"sms-{message.pk}")
    return {"notice": notice.pk, "url": notice.get_url(), "title": notice.title, "phones": phones}


def followers(count: int) -> dict:
    community = Community.objects.get(code="JY-0001")
    openids = [f"{OPENID_PREFIX}{index:010d}" for index in range(count)]
    for openid in openids:
        bindings.bind(openid, community)
    return {"openids": openids}


def status() -> dict:
    messages = OutboundMessage.objects.filter(notice__slug=SLUG)
    deliveries = Delivery.objects.filter(message__in=messages)
    return {
        "messages": messages.count(),
        "deliveries": dict(Counter(deliveries.values_list("status", flat=True))),
    }


def report() -> dict:
    return dispatch.report(OutboundMessage.objects.get(notice__slug=SLUG, channel="sms"))


def due() -> dict:
    """Queue what is due, as the minute schedule does, and report the deliveries after."""
    return {"queued": dispatch_due(), **status()}


def cleanup() -> dict:
    notice = OutageNoticePage.objects.filter(slug=SLUG).first()
    messages = 0
    if notice:
        messages = OutboundMessage.objects.filter(notice=notice).delete()[0]
        notice.delete()
    subscribers = Subscriber.objects.filter(phone__startswith=PREFIX).delete()[0]
    WeChatFollower.objects.filter(openid__startswith=OPENID_PREFIX).delete()
    OrmQ.objects.all().delete()  # tasks a failed run left on the queue
    return {"messages": messages, "subscribers": subscribers}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    commands = {
        "setup": setup,
        "followers": followers,
        "status": status,
        "report": report,
        "due": due,
        "cleanup": cleanup,
    }
    print(json.dumps(commands[command](*map(int, arguments))))
