"""The progress page of an import job in the admin: readable without JavaScript (a <progress>
element and a meta refresh every two seconds while the job runs, and a link to refresh)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from jobs.models import ImportJob
from jobs.runner import fail_if_stale, may_view

REFRESH_SECONDS = 2


def job_view(request, job_id: int):
    job = get_object_or_404(ImportJob, pk=job_id)
    if not may_view(request.user, job):
        raise Http404  # another user's job: not even its existence is shown
    job = fail_if_stale(job)
    context = {
        "job": job,
        "refresh": None if job.finished else REFRESH_SECONDS,
        "link": job.result.get("link"),
        "lines": job.result.get("lines", []),
    }
    return render(request, "jobs/admin/progress.html", context)
