"""The directory CSV import as a django-q2 job (jobs.runner): the admin's upload queues it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from contacts.directory_csv import DirectoryImportError, import_directory
from importers.directory_csv import DirectoryFileError
from jobs import runner
from jobs.enums import JobKind

PERMISSIONS = ("contacts.add_community", "contacts.change_community")


def start(data: bytes, *, filename: str, user):
    return runner.start(
        JobKind.DIRECTORY_CSV,
        directory_import_task,
        user=user,
        permissions=PERMISSIONS,
        data=data,
        filename=filename,
    )


def directory_import_task(job_id: int) -> str:
    return runner.run(job_id, _import)


def _import(job, progress) -> runner.Outcome:
    try:
        report = import_directory(runner.uploaded(job), progress)
    except DirectoryFileError as exc:
        raise runner.JobFailed(
            _("文件无法导入，没有导入任何数据：%(reason)s") % {"reason": exc}
        ) from None
    except DirectoryImportError as exc:
        raise runner.JobFailed(
            _("文件有错误，没有导入任何数据。请改正以下问题后重新上传："), exc.errors
        ) from None
    return runner.Outcome(
        _("导入完成：%(summary)s") % {"summary": report.summary()},
        link=(reverse("contacts_import"), _("返回小区名录导入导出")),
        data={"created": len(report.created), "updated": len(report.updated)},
    )
