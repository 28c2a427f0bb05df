"""Development backend: prints each call (numbers masked) instead of sending it.

Beside what it prints it appends each call to a journal (`journal`, default
`$VAR_DIR/sms-console.jsonl`: out_id, provider id and the numbers as keyed hashes, never in
clear), from which `was_accepted` answers. A call is printed first and journaled after: a
process killed between the two has printed a text its journal does not hold, which recovery
then sends again (a text twice rather than none)."""

import sys
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ..base import BaseSmsBackend, mask_number, sms_parts
from .journal import append, number_keys
from .journal import was_accepted as accepted_in

JOURNAL_NAME = "sms-console.jsonl"


class ConsoleBackend(BaseSmsBackend):
    max_batch = 1000

    def __init__(self, stream=None, journal=None, **options):
        """`stream` defaults to the current `sys.stdout`, looked up at each send; `journal` to
        `sms-console.jsonl` in `VAR_DIR`."""
        super().__init__(**options)
        self.stream = stream
        self.journal = Path(journal) if journal else Path(settings.VAR_DIR) / JOURNAL_NAME
        self._lock = threading.Lock()

    def send(self, numbers, content, *, out_id):
        batch = self._batch(numbers)
        provider_id = f"console-{uuid.uuid4().hex}"
        stream = self.stream or sys.stdout
        masked = ", ".join(mask_number(number) for number in batch)
        record = {
            "timestamp": timezone.localtime().isoformat(timespec="seconds"),
            "out_id": out_id,
            "provider_id": provider_id,
            "number_keys": number_keys(batch),
        }
        with self._lock:
            stream.write(
                f"[SMS {out_id} / {provider_id}] {len(batch)} 个号码（每条 {sms_parts(content.text)} 段）：{masked}\n"
                f"{content.text}\n{'-' * 40}\n"
            )
            stream.flush()
            append(self.journal, record)
        return provider_id

    def was_accepted(self, number, out_id, sent_on):
        """From the journal. An out_id names one call, so `sent_on` is not needed."""
        return accepted_in(self.journal, number, out_id)
