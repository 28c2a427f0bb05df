"""Double opt-in: a number is subscribed only once its owner types the code we texted it."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.enums import ConsentSource, SubscriberStatus, UnsubscribeReason
from alerts.models import Subscriber, VerificationCode
from alerts.sms import SmsContent, get_backend

CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5


class VerificationFailed(ValueError):
    pass


def _hash(phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def request_subscription(
    phone: str, communities, utilities: list[str], source=ConsentSource.WEB
) -> None:
    """Text a code to the number; what was asked for waits with the code until it is typed."""
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.filter(phone=phone, used_at=None).update(used_at=now)
    VerificationCode.objects.create(
        phone=phone,
        code_hash=_hash(phone, code),
        expires_at=now + CODE_LIFETIME,
        community_ids=[community.pk for community in communities],
        utilities=list(utilities),
    )
    Subscriber.objects.get_or_create(
        phone=phone, defaults={"consent_at": now, "consent_source": source}
    )
    text = _(
        "【%(sign)s】您的验证码是%(code)s，10分钟内有效，用于订阅停供短信。如非本人操作请忽略。"
    ) % {
        "sign": settings.SMS_SIGN_NAME,
        "code": code,
    }
    # Sent from here rather than queued: a task would keep the number and the code in the
    # task tables.
    transaction.on_commit(
        lambda: get_backend().send(
            [phone],
            SmsContent(
                template_code=settings.SMS_VERIFY_TEMPLATE_CODE, params={"code": code}, text=text
            ),
            out_id=secrets.token_hex(8),
        )
    )


def verify(phone: str, code: str) -> Subscriber:
    """Activate the subscription if `code` is the one we texted. A wrong code is counted
    outside any transaction, so the count survives the error that reports it."""
    now = timezone.now()
    pending = (
        VerificationCode.objects.filter(phone=phone, used_at=None, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        raise VerificationFailed(_("验证码已失效，请重新获取。"))
    if pending.attempts >= MAX_CODE_ATTEMPTS:
        raise VerificationFailed(_("错误次数过多，请重新获取验证码。"))
    if not hmac.compare_digest(pending.code_hash, _hash(phone, code.strip())):
        VerificationCode.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
        raise VerificationFailed(_("验证码不正确。"))
    with transaction.atomic():
        if not VerificationCode.objects.filter(pk=pending.pk, used_at=None).update(used_at=now):
            raise VerificationFailed(_("验证码已失效，请重新获取。"))  # used by a parallel request
        subscriber = Subscriber.objects.select_for_update().get(phone=phone)
        subscriber.status, subscriber.verified_at = SubscriberStatus.ACTIVE, now
        subscriber.consent_at = now
        subscriber.unsubscribed_at, subscriber.unsubscribe_reason = None, ""
        for utility in ("heat", "water", "gas", "power"):
            setattr(subscriber, f"follows_{utility}", utility in pending.utilities)
        subscriber.save()
        subscriber.communities.add(*pending.community_ids)
    return subscriber


def unsubscribe(subscriber: Subscriber, reason: str = UnsubscribeReason.LINK) -> None:
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=SubscriberStatus.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
        unsubscribe_reason=reason,
    )
