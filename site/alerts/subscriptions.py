"""Double opt-in: a number is subscribed only once its owner types the code we texted it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.enums import ConsentSource, SubscriberStatus, UnsubscribeReason
from alerts.models import Subscriber
from sms.verification import VerificationFailed, check_code, claim_code, issue_code

__all__ = ["VerificationFailed", "request_subscription", "unsubscribe", "verify"]

CODE_PURPOSE = "subscribe"  # what its codes prove a number for (sms.verification)


@transaction.atomic
def request_subscription(
    phone: str, communities, utilities: list[str], source=ConsentSource.WEB
) -> None:
    """Text a code to the number; what was asked for waits with the code until it is typed.
    Nothing is kept if the number's budget allows no code now (sms.verification.CodeBudgetSpent)."""
    issue_code(
        phone,
        CODE_PURPOSE,
        _("订阅停供短信"),
        {
            "community_ids": [community.pk for community in communities],
            "utilities": list(utilities),
        },
    )
    Subscriber.objects.get_or_create(
        phone=phone, defaults={"consent_at": timezone.now(), "consent_source": source}
    )


def verify(phone: str, code: str) -> Subscriber:
    """Activate the subscription if `code` is the one we texted."""
    pending = check_code(phone, CODE_PURPOSE, code)
    with transaction.atomic():
        claim_code(pending)
        now = timezone.now()
        subscriber = Subscriber.objects.select_for_update().get(phone=phone)
        subscriber.status, subscriber.verified_at = SubscriberStatus.ACTIVE, now
        subscriber.consent_at = now
        subscriber.unsubscribed_at, subscriber.unsubscribe_reason = None, ""
        subscriber.save()
        subscriber.follow(pending.payload["utilities"])
        subscriber.communities.add(*pending.payload["community_ids"])
    return subscriber


def unsubscribe(subscriber: Subscriber, reason: str = UnsubscribeReason.LINK) -> None:
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=SubscriberStatus.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
        unsubscribe_reason=reason,
    )
