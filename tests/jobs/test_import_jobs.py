"""Imports as jobs (jobs.runner), through the directory CSV import: counts and the Chinese
error on the progress page, nothing written on failure, a task delivered twice importing once,
a job whose worker died failed with a message, the page only for whoever may run the import.
The tasks run inline here (the test settings' django-q2 `sync`), once the request commits."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts import import_job
from contacts.models import Community
from jobs import runner, uploads
from jobs.enums import JobKind, JobStatus
from jobs.models import ImportJob
from tests.support import DATA

pytestmark = pytest.mark.django_db

HEADER = "编号,小区名称,别名,所在区,地址,户数,供热站,小区供暖管理员,管理员电话\n"
GOOD = (DATA / "directory-gbk.csv").read_bytes()


def directory_csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def start(user, data: bytes = GOOD, filename: str = "名录.csv") -> ImportJob:
    return import_job.start(data, filename=filename, user=user)


def progress_url(job) -> str:
    return reverse("jobs_progress", args=[job.pk])


def test_a_job_imports_and_its_page_shows_the_counts(client, editor, run_jobs):
    with run_jobs():
        job = start(editor)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.message == "导入完成：新增2个小区，更新0个，0个没有变化。"
    assert job.result["data"] == {"created": 2, "updated": 0}
    assert (job.done, job.total) == (2, 2)
    assert job.written_at and job.started_at <= job.written_at <= job.finished_at
    assert Community.objects.filter(code__startswith="GBK-").count() == 2
    assert not uploads.directory().joinpath(job.upload).exists()  # the file goes with the job

    client.force_login(editor)
    html = client.get(progress_url(job)).content.decode()
    assert '<progress id="job-progress" max="100" value="100">' in html
    assert "2 / 2" in html and "已完成" in html and job.message in html
    assert 'http-equiv="refresh"' not in html  # a finished job's page stays still


def test_a_running_job_shows_its_progress_without_javascript(client, editor):
    job = ImportJob.objects.create(
        kind=JobKind.DIRECTORY_CSV,
        status=JobStatus.RUNNING,
        created_by=editor,
        permissions=list(import_job.PERMISSIONS),
        stage="写入数据库",
        total=8000,
        done=3200,
    )
    client.force_login(editor)
    html = client.get(progress_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-progress" max="100" value="40">40%</progress>' in html
    assert "3200 / 8000（40%）" in html and "（写入数据库）" in html
    assert f'<a href="{progress_url(job)}">刷新</a>' in html


def test_a_failing_job_writes_nothing_and_shows_the_chinese_errors(client, editor, run_jobs):
    before = Community.objects.count()
    data = directory_csv(
        "F-0001,新小区,,绿园区,,100,第一供热所,,",
        "F-0002,,,绿园区,,100,第一供热所,,",
        "F-0003,另一小区,,绿园区,,100,不存在的供热所,,",
    )
    with run_jobs():
        job = start(editor, data)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "文件有错误，没有导入任何数据。请改正以下问题后重新上传："
    assert job.errors == [
        "第3行：小区名称不能为空",
        "第4行：供热站“不存在的供热所”不存在，请先在名录中添加该供热站",
    ]
    assert job.written_at is None
    assert Community.objects.count() == before
    assert not uploads.directory().joinpath(job.upload).exists()

    client.force_login(editor)
    html = client.get(progress_url(job)).content.decode()
    assert 'class="help-block help-critical" role="alert"' in html
    assert job.message in html and "第4行：供热站“不存在的供热所”不存在" in html


def test_households_beyond_the_column_are_a_row_error_not_an_overflow(editor, run_jobs):
    data = directory_csv(
        "R-0001,大小区,,绿园区,,100000000000000000000000,第一供热所,,",
        "R-0002,负小区,,绿园区,,2147483648,第一供热所,,",
        "R-0003,好小区,,绿园区,,2147483647,第一供热所,,",
        f"R-0004,长小区,,绿园区,,{'9' * 5000},第一供热所,,",
    )
    with run_jobs():
        job = start(editor, data)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        "第2行：户数“100000000000000000000000”超出范围，应在0到2147483647之间",
        "第3行：户数“2147483648”超出范围，应在0到2147483647之间",
        f"第5行：户数“{'9' * 30}…”超出范围，应在0到2147483647之间",
    ]
    assert not Community.objects.filter(code__startswith="R-").exists()


def test_a_task_delivered_twice_imports_once(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet run
        job = start(editor)
    assert import_job.directory_import_task(job.pk) == JobStatus.SUCCEEDED
    finished = ImportJob.objects.get(pk=job.pk)
    assert import_job.directory_import_task(job.pk) == "skipped"
    again = ImportJob.objects.get(pk=job.pk)
    assert (again.status, again.finished_at, again.message) == (
        finished.status,
        finished.finished_at,
        finished.message,
    )
    assert Community.objects.filter(code__startswith="GBK-").count() == 2


def test_a_job_another_worker_runs_is_left_alone(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = start(editor)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=job.created_at
    )
    assert import_job.directory_import_task(job.pk) == "skipped"
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    assert not Community.objects.filter(code__startswith="GBK-").exists()


@pytest.mark.clock
@pytest.mark.parametrize(
    ("written", "message"),
    [(False, "没有写入任何数据。请重新上传文件导入。"), (True, "数据已经导入，但这一步没有完成")],
)
def test_a_job_whose_worker_died_fails_with_a_message(
    client, editor, clock, django_capture_on_commit_callbacks, written, message
):
    clock("2026-12-04T10:00")
    with django_capture_on_commit_callbacks(execute=False):
        job = start(editor)
    started = job.created_at
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        stage="更新缓存和搜索索引",
        heartbeat_at=started,
        written_at=started if written else None,
    )
    client.force_login(editor)
    # Within the task's timeout the job may still be running somewhere: left alone.
    clock.shift(runner.JOB_TIMEOUT)
    assert "进行中" in client.get(progress_url(job)).content.decode()
    assert import_job.directory_import_task(job.pk) == "skipped"
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    # Past it, the cluster has killed it: the next look, the page or the task delivered
    # again, marks it failed.
    clock.shift(61)
    html = client.get(progress_url(job)).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and message in job.message
    assert "意外中断" in html and message in html
    assert not uploads.directory().joinpath(job.upload).exists()


def test_a_job_whose_process_ended_on_this_host_fails_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    """A cluster restarted (systemd stops it after 150 s) leaves the job's process gone: on
    the same machine that is known at once, without waiting out the task's timeout."""
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    host = runner._host()
    client.force_login(editor)
    for worker, fails in (
        (f"{host}:{os.getpid()}", False),  # alive
        (f"another-host:{ended}", False),  # not for this host to say: the heartbeat will
        (f"{host}:{ended}", True),
    ):
        with django_capture_on_commit_callbacks(execute=False):
            job = start(editor)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, heartbeat_at=timezone.now(), worker=worker
        )
        html = client.get(progress_url(job)).content.decode()
        job.refresh_from_db()
        assert (job.status == JobStatus.FAILED) is fails, worker
        assert ("意外中断" in html) is fails


def test_the_progress_page_is_for_whoever_started_the_import(
    client, editor, django_user_model, run_jobs
):
    from django.contrib.auth.models import Group

    with run_jobs():
        job = start(editor)
    url = progress_url(job)
    assert client.get(url).status_code == 302  # anonymous → the login page
    colleague = django_user_model.objects.create_user("colleague", password="pw")
    colleague.groups.add(Group.objects.get(name="编辑"))
    reader = django_user_model.objects.create_user("reader", password="pw")
    reader.groups.add(Group.objects.get(name="编辑"))
    for other in (colleague, reader):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(editor)
    assert client.get(url).status_code == 200
    editor.groups.clear()  # the right to import taken away: the job's page goes too
    editor = django_user_model.objects.get(pk=editor.pk)
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403, 404)
    root = django_user_model.objects.create_superuser("root", "root@example.cn", "pw")
    client.force_login(root)
    assert client.get(url).status_code == 200
    assert client.get(reverse("jobs_progress", args=[job.pk + 1000])).status_code == 404


def test_a_broker_that_cannot_take_the_task_fails_the_job_at_once(editor, run_jobs, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("core.tasks.async_task", refuse)
    with run_jobs():
        job = start(editor)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "后台任务队列暂时不可用" in job.message
    assert not Community.objects.filter(code__startswith="GBK-").exists()


def test_a_failure_after_the_write_does_not_claim_nothing_was_written(
    editor, run_jobs, monkeypatch
):
    def broken(report, progress):
        progress.stage("更新缓存和搜索索引")
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("contacts.directory_csv.refresh_derived", broken)
    with run_jobs():
        job = start(editor)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("数据已经导入，但随后的“更新缓存和搜索索引”没有完成")
    assert Community.objects.filter(code__startswith="GBK-").count() == 2


def test_finished_jobs_are_purged_after_their_retention(editor, clock):
    clock("2026-12-05T10:00+08:00")
    old_done = ImportJob.objects.create(
        kind=JobKind.DIRECTORY_CSV, status=JobStatus.SUCCEEDED, created_by=editor
    )
    ImportJob.objects.filter(pk=old_done.pk).update(
        finished_at=timezone.now() - runner.RETENTION - timedelta(days=1)
    )
    recent_done = ImportJob.objects.create(
        kind=JobKind.DIRECTORY_CSV,
        status=JobStatus.FAILED,
        created_by=editor,
        finished_at=timezone.now() - runner.RETENTION + timedelta(days=1),
    )
    old_running = ImportJob.objects.create(kind=JobKind.DIRECTORY_CSV, created_by=editor)
    assert runner.purge_finished() == 1
    assert set(ImportJob.objects.values_list("pk", flat=True)) >= {recent_done.pk, old_running.pk}
    assert not ImportJob.objects.filter(pk=old_done.pk).exists()
