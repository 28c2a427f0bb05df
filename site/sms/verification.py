"""Proving a mobile number is the reader's: we text a six-digit code, they type it back.

Shared by the SMS subscription (double opt-in) and the service desk (a request is routed only
once its number is proven). Only an HMAC of the code is stored; a code serves one purpose, so a
code texted for a subscription cannot confirm a service request. A number has one budget of
codes across every use (`code_wait`): one a minute, five a day, checked and spent in one step
per number (`issue_code`), so parallel requests for one number never get two codes."""

import hashlib
import hmac
import math
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.secret_keys import secret_keys
from core.typed_input import nfkc
from sms.base import SmsContent, get_backend
from sms.models import VerificationCode

CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
# Codes a number may be texted, whatever they are for: (how many, in how many seconds).
CODE_BUDGET = ((1, 60), (5, 86400))


class VerificationFailed(ValueError):
    pass


class CodeBudgetSpent(Exception):
    """The number's budget allows no code now; `retry_after`: seconds until it allows one."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def typed_code(code: str) -> str:
    """The code as typed, with full-width digits made ASCII (NFKC: what Chinese input methods
    type) and spaces dropped; any other character stays, and no code matches it."""
    return re.sub(r"\s+", "", nfkc(str(code)))


def _hash(phone: str, code: str, key: str | None = None) -> str:
    return hmac.new(
        (key or settings.SECRET_KEY).encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _matches(code_hash: str, phone: str, code: str) -> bool:
    """Whether `code` is the one hashed, under SECRET_KEY or a key being rotated out (a code
    texted a minute before the rotation still works)."""
    return any(hmac.compare_digest(code_hash, _hash(phone, code, key)) for key in secret_keys())


def code_wait(phone: str) -> int:
    """Seconds until the number's budget of codes (CODE_BUDGET, across every purpose) allows
    one more: 0 when one may be texted now; else when the oldest code that fills a window
    leaves it (the `Retry-After` of a refusal). Counted from the codes texted, in the
    database: the same on every deployment profile."""
    now = timezone.now()
    wait = 0
    for limit, window in CODE_BUDGET:
        recent = list(
            VerificationCode.objects.filter(
                phone=phone, created_at__gt=now - timedelta(seconds=window)
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            frees_at = recent[limit - 1] + timedelta(seconds=window)
            # Never longer than the window: a code stamped by a process whose clock runs a
            # little ahead of this one's (another machine) does not lengthen it.
            wait = max(wait, min(window, math.ceil((frees_at - now).total_seconds())))
    return wait


def issue_code(phone: str, purpose: str, use: str, payload: dict | None = None) -> VerificationCode:
    """Replace any unused code of this number and purpose with a new one and text it after
    the transaction commits. `use` finishes the sentence 验证码…用于{use}; `payload` is kept
    with the code (what a subscription asked for). CodeBudgetSpent, with the wait, if the
    number's budget allows no code now.

    The budget is checked and spent in one step per number: a count of the number's requests
    for codes is taken first and keeps its row locked until the transaction ends (a
    PostgreSQL row lock; SQLite's IMMEDIATE transactions hold the write lock from their start),
    so a parallel request for the same number waits and then counts this code."""
    with transaction.atomic():
        ratelimit.count("sms-code-requests", phone, 60)
        wait = code_wait(phone)
        if wait:
            raise CodeBudgetSpent(wait)
        now = timezone.now()
        code = f"{secrets.randbelow(10**6):06d}"
        VerificationCode.objects.filter(phone=phone, purpose=purpose, used_at=None).update(
            used_at=now
        )
        pending = VerificationCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_hash(phone, code),
            expires_at=now + CODE_LIFETIME,
            payload=payload or {},
        )
    text = _(
        "【%(sign)s】您的验证码是%(code)s，10分钟内有效，用于%(use)s。如非本人操作请忽略。"
    ) % {
        "sign": settings.SMS_SIGN_NAME,
        "code": code,
        "use": use,
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
    return pending


def check_code(phone: str, purpose: str, code: str) -> VerificationCode:
    """The pending code if `code` matches it; else VerificationFailed with a Chinese message.
    Call outside any transaction: a wrong code is counted, and the count must survive the
    error that reports it. Then `claim_code` inside the transaction that acts on the proof."""
    now = timezone.now()
    pending = (
        VerificationCode.objects.filter(
            phone=phone, purpose=purpose, used_at=None, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        raise VerificationFailed(_("验证码已失效，请重新获取。"))
    if pending.attempts >= MAX_CODE_ATTEMPTS:
        raise VerificationFailed(_("错误次数过多，请重新获取验证码。"))
    if not _matches(pending.code_hash, phone, typed_code(code)):
        VerificationCode.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
        raise VerificationFailed(_("验证码不正确。"))
    return pending


def claim_code(pending: VerificationCode) -> None:
    """Mark a checked code used; VerificationFailed if a parallel request used it first."""
    if not VerificationCode.objects.filter(pk=pending.pk, used_at=None).update(
        used_at=timezone.now()
    ):
        raise VerificationFailed(_("验证码已失效，请重新获取。"))


def purge_codes() -> int:
    """Daily: codes older than a day are used or expired, and out of every budget's window."""
    return VerificationCode.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=1)
    ).delete()[0]
