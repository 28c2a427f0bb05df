"""The admin's Word import as two django-q2 jobs (jobs.runner): a preview, which reads the file
and says what it holds, writing nothing; and, once the editor has confirmed that preview, the
import into a draft (or a new revision). Both run outside the request: a large file, or a .doc
converted by LibreOffice, takes longer than a request may."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from importers.docx.tree import DocxImportError
from jobs import runner
from jobs.enums import JobKind
from jobs.models import ImportJob
from regulations import importer
from regulations.forms import allowed_parents

PERMISSIONS = ("wagtailimages.add_image", "wagtaildocs.add_document")


def can_import(user) -> bool:
    """Importing creates images and a document besides the page. The editorial groups hold
    these as model permissions (home migration 0002), so those are what is checked."""
    return user.has_perms(PERMISSIONS)


def start_preview(data: bytes, *, filename: str, parent, title: str, user) -> ImportJob:
    return runner.start(
        JobKind.REGULATION_PREVIEW,
        preview_task,
        user=user,
        permissions=PERMISSIONS,
        data=data,
        filename=filename,
        # The file stays for the import the preview may lead to.
        params={"parent": parent.pk, "title": title, "keep_upload_on_success": True},
    )


def start_import(preview: ImportJob, *, user) -> ImportJob:
    """The import of a previewed file, started once: confirming again (a second click, the
    back button) leads to the import already started."""
    with transaction.atomic():
        job = runner.start(
            JobKind.REGULATION_IMPORT,
            import_task,
            user=user,
            permissions=PERMISSIONS,
            filename=preview.filename,
            params={key: preview.params[key] for key in ("parent", "title")},
            upload=preview.upload,
        )
        if ImportJob.objects.filter(pk=preview.pk, next_job__isnull=True).update(next_job=job):
            return job
        transaction.set_rollback(True)
    return ImportJob.objects.get(previous_job=preview)


def preview_task(job_id: int) -> str:
    return runner.run(job_id, _preview)


def import_task(job_id: int) -> str:
    return runner.run(job_id, _import)


def _parent(job: ImportJob):
    parent = allowed_parents(job.created_by).filter(pk=job.params["parent"]).first()
    if parent is None:
        raise runner.JobFailed(_("您不能在所选栏目下添加规章制度，没有导入任何数据。"))
    return parent


def _preview(job: ImportJob, progress) -> runner.Outcome:
    parent = _parent(job)
    progress.stage(_("读取 Word 文件"))
    try:
        plan = importer.plan_import(
            runner.uploaded(job),
            filename=job.filename,
            parent=parent,
            title=job.params["title"] or None,
        )
    except DocxImportError as exc:
        raise runner.JobFailed(str(exc)) from None
    existing = plan.existing
    return runner.Outcome(
        _("已读取《%(title)s》：%(summary)s。尚未保存任何内容，请查看预览后确认。")
        % {"title": plan.title, "summary": importer.describe(plan.counts)},
        link=(reverse("regulations_import_confirm", args=[job.pk]), _("查看预览并确认")),
        data={
            "title": plan.title,
            "source_key": plan.source_key,
            "counts": plan.counts,
            "first_articles": plan.first_articles,
            "warnings": plan.warnings,
            "existing": existing.get_admin_display_title() if existing else "",
            "parent": parent.get_admin_display_title(),
        },
    )


def _import(job: ImportJob, progress) -> runner.Outcome:
    try:
        result = importer.import_regulation(
            runner.uploaded(job),
            filename=job.filename,
            parent=_parent(job),
            user=job.created_by,
            title=job.params["title"] or None,
            progress=progress,
        )
    except DocxImportError as exc:
        raise runner.JobFailed(str(exc)) from None
    page = result.page
    if result.created:
        message = _("已创建草稿《%(title)s》（%(summary)s），请检查后提交审核。")
    else:
        message = _("已为《%(title)s》保存新版本（%(summary)s），可在“历史”中对比修改后提交审核。")
    return runner.Outcome(
        message % {"title": page.title, "summary": result.summary},
        lines=result.warnings,
        link=(reverse("wagtailadmin_pages:edit", args=[page.pk]), _("打开草稿")),
        data={"page": page.pk, "created": result.created},
    )
