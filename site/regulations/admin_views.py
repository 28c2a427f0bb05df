"""Admin import of a Word file in two steps, each a job with its progress page
(regulations.import_job): 预览 reads the upload and shows what was recognised, writing nothing;
确认 imports it as a draft page (or a new revision), opened in the editor from the job's page,
where the moderation workflow takes over."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from jobs.enums import JobKind, JobStatus
from jobs.models import ImportJob
from jobs.runner import may_view, recent
from regulations import import_job
from regulations.forms import UploadForm

TEMPLATE = "regulations/admin/import.html"
PREVIEW_TEMPLATE = "regulations/admin/preview.html"


def import_view(request):
    if not import_job.can_import(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            job = import_job.start_preview(
                form.cleaned_data["data"],
                filename=form.cleaned_data["file"].name,
                parent=form.cleaned_data["parent"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
            return redirect("jobs_progress", job_id=job.pk)
    else:
        form = UploadForm(user=request.user)
    jobs = recent(request.user, JobKind.REGULATION_PREVIEW, JobKind.REGULATION_IMPORT)
    context = {"form": form, "recent": jobs}
    return render(request, TEMPLATE, context, status=400 if form.errors else 200)


def confirm_view(request, job_id: int):
    """The preview a job made; confirming it starts the import."""
    preview = get_object_or_404(
        ImportJob, pk=job_id, kind=JobKind.REGULATION_PREVIEW, status=JobStatus.SUCCEEDED
    )
    if not (import_job.can_import(request.user) and may_view(request.user, preview)):
        raise Http404
    if request.method == "POST":
        job = import_job.start_import(preview, user=request.user)
        return redirect("jobs_progress", job_id=job.pk)
    context = {"plan": preview.result["data"], "preview": preview}
    return render(request, PREVIEW_TEMPLATE, context)
