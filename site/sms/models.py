from django.db import models

from sms.base import mask_number


class VerificationCode(models.Model):
    """A code texted to prove a number is the reader's. Only an HMAC of the code is stored.

    `purpose` is the use's own name (a subscription, a service request): a code proves the
    number for that use only. `payload` is what the reader asked for, kept until the code is
    typed, so nobody acts on someone else's number."""

    phone = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{mask_number(self.phone)} ({self.created_at:%Y-%m-%d %H:%M})"
