"""Admin upload and download of the community directory as CSV."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from contacts import import_job
from contacts.directory_csv import export_directory
from importers.directory_csv import HEADERS
from jobs import runner
from jobs.enums import JobKind

PERMISSIONS = import_job.PERMISSIONS


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV 文件"),
        help_text=_(
            "UTF-8 或 GBK 编码均可；按“编号”新增或更新，有任何错误行时整个文件不导入。"
            "上传后在后台导入，可在进度页面查看。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CONTACTS_CSV_MAX_BYTES:
            limit = settings.CONTACTS_CSV_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("文件过大，请不要超过%(limit)sMB。") % {"limit": limit})
        return upload


@permission_required(PERMISSIONS, raise_exception=True)
def import_view(request):
    """The upload only stores the file and queues the import (contacts.import_job): a large
    file takes longer than a request may, and its progress page shows how it goes."""
    if request.method == "POST":
        form = DirectoryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = import_job.start(upload.read(), filename=upload.name, user=request.user)
            return redirect("jobs_progress", job_id=job.pk)
    else:
        form = DirectoryUploadForm()
    return render(
        request,
        "contacts/admin/directory_import.html",
        {
            "form": form,
            "headers": ",".join(HEADERS),
            "recent": runner.recent(request.user, JobKind.DIRECTORY_CSV),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required(PERMISSIONS, raise_exception=True)
def export_view(request):
    filename = f"directory-{timezone.localdate():%Y%m%d}.csv"
    response = HttpResponse(export_directory(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
