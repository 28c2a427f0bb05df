"""The columns' review in the admin (审核, permission disclosure.review_column): each column with
its last change, the end of its review period and its last review, a button that marks it
reviewed and a field that sets its period. Both are POSTs with the CSRF token; nobody without
the permission sees the page or may post."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.columns import Column
from disclosure import review
from disclosure.forms import ReviewPeriodForm
from servicedesk.calendar import missing_years


def _require_reviewer(user) -> None:
    if not review.can_review(user):
        raise PermissionDenied


def review_list(request):
    _require_reviewer(request.user)
    return TemplateResponse(
        request,
        "disclosure/admin/reviews.html",
        {
            "statuses": review.column_statuses(),
            "missing_years": missing_years(timezone.localdate()),
        },
    )


@require_POST
def mark_reviewed(request, column):
    _require_reviewer(request.user)
    if column not in Column.values:
        raise Http404
    review.mark_reviewed(column, request.user)
    messages.success(request, _("已将“%s”栏目标记为已审核。") % Column(column).label)
    return redirect("disclosure_reviews")


@require_POST
def set_period(request):
    _require_reviewer(request.user)
    form = ReviewPeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("审核期限应为1至120个工作日。"))
        return redirect("disclosure_reviews")
    column, days = form.cleaned_data["column"], form.cleaned_data["review_days"]
    review.set_period(column, days)
    messages.success(
        request,
        _("“%(column)s”栏目的审核期限已改为%(days)d个工作日。")
        % {"column": Column(column).label, "days": days},
    )
    return redirect("disclosure_reviews")
