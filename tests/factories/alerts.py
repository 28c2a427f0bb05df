import itertools

from django.utils import timezone

from alerts.enums import ConsentSource, SubscriberStatus
from alerts.models import OutboundMessage, Subscriber
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
