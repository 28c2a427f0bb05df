"""A test-only SMS backend (tests/config/test_faults.py): the configured backend, with the
whole cluster killed, SIGKILL to its process group, right after the `after`-th call the backend
accepted has returned and before the dispatcher records it: the worst moment to lose a worker
machine. `config.settings.test` puts it in front of the configured backend when
E2E_KILL_AFTER_HANDOVER=N is set."""

import fcntl
import os
import signal
from pathlib import Path

from django.utils.module_loading import import_string

from sms import BaseSmsBackend


class KillAfterHandover(BaseSmsBackend):
    def __init__(self, *, backend: str, options: dict, after: int, counter: str):
        super().__init__()
        self.inner = import_string(backend)(**options)  # (get_backend takes `path` itself)
        self.max_batch = self.inner.max_batch
        self.after = after
        self.counter = Path(counter)

    def send(self, numbers, content, *, out_id):
        provider_id = self.inner.send(numbers, content, out_id=out_id)
        if self._returned() == self.after:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        return provider_id

    def was_accepted(self, number, out_id, sent_on):
        return self.inner.was_accepted(number, out_id, sent_on)

    def _returned(self) -> int:
        """Calls returned so far in the cluster, this one included (its workers are
        processes: the count is a file)."""
        with self.counter.open("ab") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write(b".")
            file.flush()
            return file.tell()
