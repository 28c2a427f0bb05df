"""Backend that appends each call as one JSON line to a file (numbers masked), for staging
sites and demonstrations where nothing may reach a phone but staff want to read what would."""

import json
import threading
import uuid
from pathlib import Path

from django.utils import timezone

from ..base import BaseSmsBackend, mask_number, sms_parts


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
            "template_code": content.template_code,
            "params": content.params,
            "text": content.text,
            "parts": sms_parts(content.text),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line)
        return provider_id
