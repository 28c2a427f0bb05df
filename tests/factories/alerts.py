import itertools

from django.utils import timezone

from alerts.enums import ConsentSource, SubscriberStatus
from alerts.models import GroupRobot, OutboundMessage, PressContact, Subscriber
from notices.enums import Utility

_numbers = itertools.count(1)


def make_subscriber(
    communities=(), status=SubscriberStatus.ACTIVE, phone=None, utilities=tuple(Utility)
) -> Subscriber:
    """Test numbers in the 1390000xxxx range never assigned to anyone (cf. demo data); they
    follow every utility unless told which."""
    subscriber = Subscriber.objects.create(
        phone=phone or f"1391000{next(_numbers):04d}",
        status=status,
        consent_at=timezone.now(),
        consent_source=ConsentSource.WEB,
        verified_at=timezone.now() if status == SubscriberStatus.ACTIVE else None,
    )
    subscriber.communities.set(communities)
    subscriber.follow(utilities)
    return subscriber


def make_message(notice, **fields) -> OutboundMessage:
    """An outbound message of a notice, due now, without going through the notice signals."""
    defaults = {
        "event": "published",
        "event_key": "published",
        "text": "t",
        "not_before": timezone.now(),
    }
    return OutboundMessage.objects.create(notice=notice, **{**defaults, **fields})


def make_robot(community, *, active=True, key=None) -> GroupRobot:
    """A 管家群 robot with a key only the stand-in knows (standins/wecom_robot.py)."""
    number = next(_numbers)
    return GroupRobot.objects.create(
        name=f"{community.name}{number}号楼供热管家群",
        community=community,
        building=f"{number}号楼",
        webhook_key=key or f"test-robot-{number:04d}-5f0c2a7e",
        active=active,
    )


def make_press_contact(*, active=True, outlet="测试日报") -> PressContact:
    """A press desk on example.com (RFC 2606: never anyone's address)."""
    number = next(_numbers)
    return PressContact.objects.create(
        outlet=outlet, person=f"记者{number}", email=f"desk{number}@example.com", active=active
    )
