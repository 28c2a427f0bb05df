"""Development backend: prints each call (numbers masked) instead of sending it."""

import sys
import threading
import uuid

from ..base import BaseSmsBackend, mask_number, sms_parts


class ConsoleBackend(BaseSmsBackend):
    max_batch = 1000

    def __init__(self, stream=None, **options):
        """`stream` defaults to the current `sys.stdout`, looked up at each send."""
        super().__init__(**options)
        self.stream = stream
        self._lock = threading.Lock()

    def send(self, numbers, content, *, out_id):
        batch = self._batch(numbers)
        provider_id = f"console-{uuid.uuid4().hex}"
        stream = self.stream or sys.stdout
        masked = ", ".join(mask_number(number) for number in batch)
        with self._lock:
            stream.write(
                f"[SMS {out_id} / {provider_id}] {len(batch)} 个号码（每条 {sms_parts(content.text)} 段）：{masked}\n"
                f"{content.text}\n{'-' * 40}\n"
            )
            stream.flush()
        return provider_id
