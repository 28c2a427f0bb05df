"""What an import reports while it runs. Importers take a `Progress` and call it; the
management commands pass the silent base class, the jobs a `JobProgress`, which writes to the
job's row at most twice a second (each write is a short transaction of its own, or part of the
import's write transaction when called inside it)."""

import time

from django.utils import timezone

from jobs.models import ImportJob


class Progress:
    def stage(self, label: str, total: int = 0) -> None:
        """A new step, with the number of items it will go through (0: not counted)."""

    def advance(self, count: int = 1) -> None:
        """`count` more items of the current step done."""

    def mark_written(self) -> None:
        """Call inside the import's write transaction, as its last statement: from its commit
        on, the import's data is in the database."""


class JobProgress(Progress):
    INTERVAL = 0.5  # seconds between two writes of the counts

    def __init__(self, job: ImportJob):
        self.job = job
        self._saved_at = 0.0

    def stage(self, label: str, total: int = 0) -> None:
        self.job.stage, self.job.total, self.job.done = str(label), total, 0
        self._save()

    def advance(self, count: int = 1) -> None:
        self.job.done = min(self.job.done + count, self.job.total or self.job.done + count)
        if time.monotonic() - self._saved_at >= self.INTERVAL or self.job.done == self.job.total:
            self._save()

    def mark_written(self) -> None:
        self.job.written_at = timezone.now()
        ImportJob.objects.filter(pk=self.job.pk).update(written_at=self.job.written_at)

    def _save(self) -> None:
        self._saved_at = time.monotonic()
        self.job.heartbeat_at = timezone.now()
        ImportJob.objects.filter(pk=self.job.pk).update(
            stage=self.job.stage,
            total=self.job.total,
            done=self.job.done,
            heartbeat_at=self.job.heartbeat_at,
        )
