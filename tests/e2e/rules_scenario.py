"""Run by tests/rules/test_rules_cluster.py in its own processes, against the database of
DATABASE_URL: `setup N` creates N subscribers and a content rule of its own that texts every
new outage of its community by SMS, then publishes a major emergency notice there, so the
seeded rule (every channel) and this one both send the same event on SMS; `fire` runs the live
rules on the notice's event again, as a redelivered signal or a second process would; `status`
reports the rule firings and messages; `cleanup` removes what setup made. Prints JSON."""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402
from django_q.models import OrmQ  # noqa: E402

from alerts.models import OutboundMessage, Subscriber  # noqa: E402
from contacts.models import Community  # noqa: E402
from notices.models import OutageNoticePage  # noqa: E402
from rules import engine  # noqa: E402
from rules.models import ContentRule, RuleEvent, RuleFiring  # noqa: E402
from tests.factories.alerts import make_subscriber  # noqa: E402
from tests.factories.notices import make_notice  # noqa: E402

SLUG = "e2e-rules-notice"
PREFIX = "1397"
RULE = "端到端测试：本小区短信"


def _notice() -> OutageNoticePage:
    return OutageNoticePage.objects.get(slug=SLUG)


def setup(count: int) -> dict:
    community = Community.objects.get(code="JY-0001")
    phones = [f"{PREFIX}{index:07d}" for index in range(count)]
    for phone in phones:
        make_subscriber([community], phone=phone)
    rule = ContentRule(
        name=RULE,
        triggers=["published"],
        conditions=[
            {
                "type": "place",
                "value": {"branches": [], "stations": [], "communities": [community.pk]},
            }
        ],
        actions=[{"type": "send", "value": {"channels": ["sms"], "hold_until": None}}],
        priority=1,
        live=False,
    )
    rule.save()
    rule.save_revision().publish()
    start = timezone.now() + timedelta(hours=3)
    make_notice(
        communities=[community],
        slug=SLUG,
        kind="emergency",
        starts_at=start,
        ends_at=start + timedelta(hours=10),
    )
    return {"phones": phones, **status()}


def fire() -> dict:
    event = RuleEvent.objects.get(key=f"notice-{_notice().pk}:published")
    return {"fired": len(engine.fire(event))}


def status() -> dict:
    notice = _notice()
    firings = RuleFiring.objects.filter(event__page_id=notice.pk)
    return {
        "firings": sorted(firings.values_list("rule__name", flat=True)),
        "sms_messages": OutboundMessage.objects.filter(notice=notice, channel="sms").count(),
    }


def cleanup() -> dict:
    notice = OutageNoticePage.objects.filter(slug=SLUG).first()
    if notice:
        RuleEvent.objects.filter(page_id=notice.pk).delete()
        OutboundMessage.objects.filter(notice=notice).delete()
        notice.delete()
    ContentRule.objects.filter(name=RULE).delete()
    subscribers = Subscriber.objects.filter(phone__startswith=PREFIX).delete()[0]
    OrmQ.objects.all().delete()
    return {"subscribers": subscribers}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    commands = {"setup": setup, "fire": fire, "status": status, "cleanup": cleanup}
    print(json.dumps(commands[command](*map(int, arguments)), ensure_ascii=False))
