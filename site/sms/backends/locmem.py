"""Test backend: keeps every call in the module-level `outbox` instead of sending it.

Tests can also make it fail like a provider would: a batch containing one of `invalid_numbers`
raises `InvalidNumberError` without naming the numbers (as Aliyun does, so the caller has to
bisect), and `fail_next(error)` makes the next call raise `error`. `reset()` clears all three.
"""

import threading
import uuid

from django.utils.translation import gettext as _

from ..base import BaseSmsBackend, InvalidNumberError, SmsContent, SmsError

# (numbers, content, out_id, provider_id) per accepted call, in order.
outbox: list[tuple[tuple[str, ...], SmsContent, str, str]] = []
invalid_numbers: set[str] = set()
_failures: list[SmsError] = []
_lock = threading.Lock()


def reset() -> None:
    with _lock:
        outbox.clear()
        invalid_numbers.clear()
        _failures.clear()


def fail_next(*errors: SmsError) -> None:
    """Make the next calls raise these errors, one per call, in order."""
    with _lock:
        _failures.extend(errors)


class LocmemBackend(BaseSmsBackend):
    max_batch = 1000

    def send(self, numbers, content, *, out_id):
        batch = self._batch(numbers)
        with _lock:
            if _failures:
                raise _failures.pop(0)
            if not invalid_numbers.isdisjoint(batch):
                raise InvalidNumberError(
                    _("批次中有无效号码"), numbers=batch if len(batch) == 1 else ()
                )
            provider_id = f"locmem-{uuid.uuid4().hex}"
            outbox.append((batch, content, out_id, provider_id))
        return provider_id

    def was_accepted(self, number, out_id, sent_on):
        """Answers from the outbox; the outbox keeps no dates, so `sent_on` is not checked."""
        with _lock:
            return any(
                number in batch and call_out_id == out_id
                for batch, _content, call_out_id, _provider_id in outbox
            )
