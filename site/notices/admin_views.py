"""发布进展: the admin page where staff add a dated entry to a live notice's timeline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from notices.forms import NoticeUpdateForm
from notices.lifecycle.transitions import InvalidTransition, allowed_kinds, record_update
from notices.models import OutageNoticePage


def add_update(request, notice_id: int):
    notice = get_object_or_404(OutageNoticePage, pk=notice_id)
    if not notice.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    kinds = allowed_kinds(notice.state)
    form = NoticeUpdateForm(request.POST or None, allowed_kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            record_update(
                notice.pk,
                form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                occurred_at=form.cleaned_data["occurred_at"],
                new_ends_at=form.cleaned_data["new_ends_at"],
                author=request.user,
            )
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("进展已发布：%(title)s") % {"title": notice.title})
            return redirect("notices_add_update", notice_id=notice.pk)
    return TemplateResponse(
        request,
        "notices/admin/add_update.html",
        {
            "notice": notice,
            "form": form,
            "updates": notice.updates.select_related("author").order_by("-occurred_at", "-pk"),
            "closed": not kinds,
        },
        status=400 if form.errors else 200,
    )
