"""Backend that appends each call as one JSON line to a file (numbers masked), for staging
sites and demonstrations where nothing may reach a phone but staff want to read what would.

A call is accepted once its line is whole in the file; `was_accepted` reads the file back
(`journal`: each number is also kept as a keyed hash, so a number asked about is found without
the file holding it in clear)."""

import threading
import uuid
from pathlib import Path

from django.utils import timezone

from ..base import BaseSmsBackend, mask_number, sms_parts
from . import journal


class FileBackend(BaseSmsBackend):
    max_batch = 1000

    def __init__(self, path, **options):
        super().__init__(**options)
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, numbers, content, *, out_id):
        batch = self._batch(numbers)
        provider_id = f"file-{uuid.uuid4().hex}"
        record = {
            "timestamp": timezone.localtime().isoformat(timespec="seconds"),
            "out_id": out_id,
            "provider_id": provider_id,
            "numbers": [mask_number(number) for number in batch],
            "number_keys": journal.number_keys(batch),
            "template_code": content.template_code,
            "params": content.params,
            "text": content.text,
            "parts": sms_parts(content.text),
        }
        with self._lock:
            journal.append(self.path, record)
        return provider_id

    def was_accepted(self, number, out_id, sent_on):
        """From the file itself. An out_id names one call, so `sent_on` is not needed."""
        return journal.was_accepted(self.path, number, out_id)
