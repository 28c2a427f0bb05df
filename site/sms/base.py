"""The contract between the dispatcher and the SMS backends.

A backend sends one content to a batch of numbers in one provider call and reports failures as
one of three kinds the dispatcher acts on differently: retry later (`TransientSmsError`), drop
the bad numbers (`InvalidNumberError`), or stop and tell staff (`PermanentSmsError`).

Phone numbers are personal data: backends never log or print a full number (see `mask_number`),
and error messages, which staff see in the admin, never contain one.
"""

import datetime
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "sms.backends.console.ConsoleBackend"

# One GSM-7-less (UCS-2) message holds 70 UTF-16 units; a long message is split into parts of
# 67, the other 3 carrying the concatenation header.
SINGLE_PART_UNITS = 70
MULTI_PART_UNITS = 67

_NUMBER_IN_TEXT = re.compile(r"(?<!\d)1\d{10}(?!\d)")


@dataclass(frozen=True)
class SmsContent:
    template_code: str  # provider template id (Aliyun TemplateCode); others ignore it
    params: dict[str, str]  # template parameters (Aliyun TemplateParam)
    text: str  # the full text residents receive, 【signature】 included


class SmsError(Exception):
    """A failed send. The message is shown to staff: it never contains a full number."""


class TransientSmsError(SmsError):
    """Timeouts, connection errors, HTTP 5xx, throttling: retry later.

    A timeout leaves it open whether the provider accepted the call (`maybe_accepted`);
    `was_accepted` answers that before a retry when a duplicate message matters.
    """

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, maybe_accepted: bool = False
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_accepted = maybe_accepted


class InvalidNumberError(SmsError):
    """The provider refused the batch because at least one number is invalid.

    `numbers` holds the bad numbers when known (the provider said so, or the batch had one
    number), else it is empty and the dispatcher bisects the batch to find them.
    """

    def __init__(self, message: str = "", *, numbers: Iterable[str] = ()):
        super().__init__(message)
        self.numbers = frozenset(numbers)


class PermanentSmsError(SmsError):
    """Can never succeed as configured (credentials, signature, template, quota): do not retry."""


class BaseSmsBackend:
    max_batch: int = 1  # numbers per provider call

    def __init__(self, **options):
        """Accepts `max_batch` (within the backend's limit); any other option is a typo."""
        max_batch = options.pop("max_batch", None)
        if options:
            raise TypeError(f"{type(self).__name__}: unknown options {sorted(options)}")
        if max_batch is not None:
            if not isinstance(max_batch, int) or not 1 <= max_batch <= type(self).max_batch:
                raise ValueError(
                    f"{type(self).__name__}: max_batch must be 1..{type(self).max_batch}"
                )
            self.max_batch = max_batch

    def send(self, numbers: Sequence[str], content: SmsContent, *, out_id: str) -> str:
        """Send one content to all numbers in ONE provider call; return the provider's id for
        the call (Aliyun BizId). Raises the `SmsError` subclasses above."""
        raise NotImplementedError

    def was_accepted(self, number: str, out_id: str, sent_on: datetime.date) -> bool | None:
        """After a crash between calling the provider and recording the result: did the provider
        accept the call tagged `out_id` for this number on `sent_on` (the provider's calendar
        day, Asia/Shanghai)? Every backend of this package answers from the provider's own
        record (Aliyun's QuerySendDetails, the file backend's file, the console's journal, the
        in-memory outbox); None only when that record cannot be read at the moment, and from
        a backend of another package that does not say (this default). The dispatcher asks
        once per call, about one of its numbers (`alerts.dispatch.recover`)."""
        return None

    def _batch(self, numbers: Sequence[str]) -> tuple[str, ...]:
        """The numbers as a tuple; an empty or oversized batch is the caller's bug."""
        batch = tuple(numbers)
        if not batch or len(batch) > self.max_batch:
            raise ValueError(f"a batch holds 1..{self.max_batch} numbers, got {len(batch)}")
        return batch


def get_backend(path: str | None = None, **options) -> BaseSmsBackend:
    """The backend at `path`, or the configured one: `settings.SMS_BACKEND` with
    `settings.SMS_BACKEND_OPTIONS` (which `options` override). Options in settings belong to
    the configured backend, so they are not applied to an explicitly named one."""
    if path is None:
        path = getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
        options = {**getattr(settings, "SMS_BACKEND_OPTIONS", {}), **options}
    backend_class = import_string(path)
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSmsBackend)):
        raise TypeError(f"{path} is not an SMS backend")
    return backend_class(**options)


def sms_parts(text: str) -> int:
    """How many messages carriers bill for `text`, counted in UTF-16 units (an emoji is 2)."""
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= SINGLE_PART_UNITS else math.ceil(units / MULTI_PART_UNITS)


def mask_number(number: str) -> str:
    """'13812341234' -> '138****1234': enough to tell numbers apart in logs, not to call one."""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_numbers_in(text: str) -> str:
    """`text` (say, a provider's error message) with every mobile number in it masked."""
    return _NUMBER_IN_TEXT.sub(lambda match: mask_number(match.group()), text)
