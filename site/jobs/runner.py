"""Imports as django-q2 jobs, so that no request waits for one (a large import took minutes) and
so that the import's writes can be kept short (the embedded profile's SQLite has one
writer at a time; public forms wait for it up to the busy timeout, 20 s).

`start()`, in the request, stores the upload, creates the job `queued` and queues the app's
task once that row is committed; the task calls `run(job_id, work)`, which claims the job with
one conditional UPDATE (queued → running). A task delivered twice, or taken by two workers,
finds nothing left to claim and does nothing: an import runs at most once. `work(job,
progress)` does the import, reporting through `progress`, and returns an `Outcome`, or raises
`JobFailed` with a Chinese message (and row errors); its writes are its own business (one short
transaction each, see the importers), `run` records how it ended.

A worker that dies (killed, the machine restarted) leaves its job `running`. The job records
its process (host and pid): when that process is gone from this host, or, from another host,
when the job's last heartbeat is older than JOB_TIMEOUT plus a minute (django-q2 kills an
import's task after JOB_TIMEOUT), it runs nowhere any more, and the next look at it (its
progress page, or its task delivered again) marks it failed, saying whether its data had been
written. It is never re-run by itself; the editor sees why and uploads again."""

import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import enqueue
from jobs import uploads
from jobs.enums import JobKind, JobStatus
from jobs.models import ImportJob
from jobs.progress import JobProgress

logger = logging.getLogger(__name__)

JOB_TIMEOUT = 30 * 60  # seconds before django-q2 kills an import's task (its default is 120)
STALE_AFTER = timedelta(seconds=JOB_TIMEOUT + 60)
# Jobs an import page lists (jobs/admin/recent_jobs.html).
RECENT = 5
# How long a finished job's page stays: long enough to look back at last season's imports.
RETENTION = timedelta(days=180)


class JobFailed(Exception):
    """The import cannot be done as asked; `message` (Chinese) and `errors` (one line per bad
    row or entry) are shown on the job's page."""

    def __init__(self, message: str, errors: Iterable[str] = ()):
        super().__init__(message)
        self.message = str(message)
        self.errors = [str(error) for error in errors]


@dataclass
class Outcome:
    summary: str
    lines: list[str] = field(default_factory=list)  # warnings and details, one per line
    link: tuple[str, str] | None = None  # (address, label) of what to look at next
    data: dict = field(default_factory=dict)  # what the app reads back (a preview's plan)


def start(
    kind: JobKind,
    task: Callable[[int], object],
    *,
    user,
    permissions: Iterable[str],
    data: bytes | None = None,
    filename: str = "",
    params: dict | None = None,
    upload: str = "",
) -> ImportJob:
    """A queued job running `task(job_id)`; `data` is stored for it (or `upload`, a file
    another job stored, is shared)."""
    if data is not None:
        upload = uploads.store(data)
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        permissions=list(permissions),
        filename=filename[:255],
        params=params or {},
        upload=upload,
    )
    transaction.on_commit(lambda: _queue(job, task))
    return job


def _queue(job: ImportJob, task) -> None:
    if enqueue(task, job.pk, task_name=f"import-job-{job.pk}", timeout=JOB_TIMEOUT) is None:
        message = _("后台任务队列暂时不可用，导入没有开始，也没有写入任何数据。请稍后重新上传。")
        ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, message=message, finished_at=timezone.now()
        )
        uploads.discard(job.upload)


def run(job_id: int, work: Callable[[ImportJob, JobProgress], Outcome]) -> str:
    """Claim the job and run `work` once; the job's final status (or `skipped`)."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=_this_process()
    )
    if not claimed:
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is not None:
            fail_if_stale(job)
        return "skipped"
    job = ImportJob.objects.get(pk=job_id)
    try:
        outcome = work(job, JobProgress(job))
    except JobFailed as exc:
        _end(job, JobStatus.FAILED, message=_after_write(job, exc.message), errors=exc.errors)
    except Exception:
        logger.exception("import job %s (%s) failed", job.pk, job.kind)
        message = _("导入时出现程序错误，错误已记入日志，请联系管理员。")
        _end(job, JobStatus.FAILED, message=_after_write(job, message))
    else:
        result = {"lines": [str(line) for line in outcome.lines], "data": outcome.data}
        if outcome.link:
            result["link"] = {"url": outcome.link[0], "label": str(outcome.link[1])}
        _end(job, JobStatus.SUCCEEDED, message=str(outcome.summary), result=result)
    return job.status


def uploaded(job: ImportJob) -> bytes:
    """The file the job was started with."""
    try:
        return uploads.read(job.upload)
    except uploads.UploadMissing:
        raise JobFailed(_("上传的文件已不在服务器上，没有导入任何数据。请重新上传。")) from None


def _after_write(job: ImportJob, message: str) -> str:
    """A failure after the import's data was committed must not read as 'nothing written'."""
    if ImportJob.objects.filter(pk=job.pk, written_at__isnull=False).exists():
        return _("数据已经导入，但随后的“%(stage)s”没有完成：%(message)s") % {
            "stage": job.stage,
            "message": message,
        }
    return message


def _end(job: ImportJob, status: JobStatus, **fields) -> None:
    fields.update(status=status, finished_at=timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    keep = status == JobStatus.SUCCEEDED and job.params.get("keep_upload_on_success")
    if not keep:
        uploads.discard(job.upload)


def fail_if_stale(job: ImportJob) -> ImportJob:
    """Mark a job no worker can be running any more as failed (see the module's docstring)."""
    now = timezone.now()
    if job.status == JobStatus.RUNNING and (
        (job.heartbeat_at or job.created_at) < now - STALE_AFTER or _gone(job.worker)
    ):
        if job.written_at:
            message = _(
                "后台任务在“%(stage)s”时意外中断（服务可能重启过）。数据已经导入，"
                "但这一步没有完成，请联系管理员。"
            ) % {"stage": job.stage}
        else:
            message = _(
                "后台任务意外中断（服务可能重启过），没有写入任何数据。请重新上传文件导入。"
            )
    elif job.status == JobStatus.QUEUED and job.created_at < now - STALE_AFTER:
        message = _("导入一直没有开始（后台任务没有运行），没有写入任何数据。请联系管理员。")
    else:
        return job
    ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
        status=JobStatus.FAILED, message=message, finished_at=now
    )
    job.refresh_from_db()
    if job.status == JobStatus.FAILED:
        uploads.discard(job.upload)
    return job


def _this_process() -> str:
    return f"{_host()}:{os.getpid()}"


def _host() -> str:
    """This machine, and the process-id namespace its pids belong to: two containers may share
    a host name, never their pids."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()}/{namespace}"


def _gone(worker: str) -> bool:
    """The process `host:pid` has ended, as far as this host can tell (another host's, or a
    pid in use again, count as running: the heartbeat decides those)."""
    host, _, pid = worker.rpartition(":")
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def may_view(user, job: ImportJob) -> bool:
    """The user who started it, while they still hold the import's permissions; superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return job.created_by_id == user.pk and user.has_perms(job.permissions)


def purge_finished() -> int:
    """Daily: finished jobs older than RETENTION (who imported what, the row errors)."""
    return ImportJob.objects.filter(
        status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED),
        finished_at__lt=timezone.now() - RETENTION,
    ).delete()[0]


def recent(user, *kinds: JobKind) -> list[ImportJob]:
    """The user's latest jobs of these kinds, newest first, for the import page they start from."""
    return list(ImportJob.objects.filter(kind__in=kinds, created_by=user)[:RECENT])
