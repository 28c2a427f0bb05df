"""The link report in the admin (报告 → 链接检查): the problems with their filters, the CSV of
the same rows, and 立即检查. Readable without JavaScript: the filters are a GET form, the button
a POST with the CSRF token. 编辑 and 审核 see the report (linkcheck.view_linkproblem); those
holding linkcheck.run_check (审核) start a run."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.tasks import enqueue
from linkcheck import run
from linkcheck.enums import RunState, Severity
from linkcheck.models import LinkCheckRun, LinkProblem
from linkcheck.presentation import edit_path, target_label
from linkcheck.report import ReportFilters, csv_text

VIEW_PERMISSION = "linkcheck.view_linkproblem"
RUN_PERMISSION = "linkcheck.run_check"
PER_PAGE = 100


def can_view(user) -> bool:
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def can_run(user) -> bool:
    return user.is_active and user.has_perm(RUN_PERMISSION)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def report(request):
    _require(can_view(request.user))
    filters = ReportFilters(request.GET)
    paginator = Paginator(filters.rows(), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    for problem in page:
        problem.edit_url = edit_path(problem)
        problem.target_shown = target_label(problem)
    query = request.GET.copy()
    query.pop("p", None)
    open_problems = LinkProblem.objects.filter(fixed_at__isnull=True)
    return TemplateResponse(
        request,
        "linkcheck/admin/report.html",
        {
            "filters": filters,
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
            "errors": open_problems.filter(severity=Severity.ERROR).count(),
            "warnings": open_problems.filter(severity=Severity.WARNING).count(),
            "last_run": LinkCheckRun.objects.order_by("-created_at", "-pk").first(),
            "can_run": can_run(request.user),
        },
    )


def report_csv(request):
    _require(can_view(request.user))
    response = HttpResponse(
        csv_text(ReportFilters(request.GET).rows()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="linkcheck-{stamp}.csv"'
    return response


@require_POST
def start_run(request):
    _require(can_run(request.user))
    queued = run.start(request.user)
    if queued is None:
        messages.warning(request, _("链接检查正在进行，请稍后刷新本页查看结果。"))
    else:
        transaction.on_commit(lambda: _queue(queued))
        messages.success(request, _("已开始检查链接。检查需要几分钟，完成后刷新本页即可看到结果。"))
    return redirect("linkcheck_report")


def _queue(queued: LinkCheckRun) -> None:
    if enqueue(run.run_link_check, queued.pk, task_name=f"linkcheck-{queued.pk}") is None:
        LinkCheckRun.objects.filter(pk=queued.pk, state=RunState.QUEUED).update(
            state=RunState.FAILED,
            active=False,
            finished_at=timezone.now(),
            message=_("后台任务队列暂时不可用，检查没有开始，请稍后再试。"),
        )
