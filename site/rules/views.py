"""The rules' admin pages beside the snippet views: the dry run, what the rules did, and the
pages due for review."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page

from rules import dry_run as simulation
from rules.models import ContentRule, PageReview, RuleFiring
from rules.permissions import can_edit_rules, can_view_rules


@require_POST
def dry_run(request, pk=None):
    """The rule as in the submitted form (saved or not) over the last 30 days. Nothing saved."""
    if not can_edit_rules(request.user):
        raise PermissionDenied
    from rules.wagtail_hooks import content_rule_viewset

    live = get_object_or_404(ContentRule, pk=pk) if pk else None
    form_class = content_rule_viewset.get_form_class(for_update=live is not None)
    candidate = ContentRule.objects.get(pk=pk) if pk else ContentRule()
    form = form_class(request.POST, instance=candidate, for_user=request.user)
    context = {"form": form, "rule": live, "days": simulation.DAYS}
    if form.is_valid():
        candidate = form.save(commit=False)
        context["result"] = simulation.simulate(candidate)
    return TemplateResponse(request, "rules/dry_run.html", context)


def firings(request):
    """Every time a rule ran: the event, the rule's version and what each action did."""
    if not can_view_rules(request.user):
        raise PermissionDenied
    found = RuleFiring.objects.select_related("rule", "event", "revision").order_by("-at", "-pk")
    if rule := request.GET.get("rule", ""):
        found = found.filter(rule_id=rule) if rule.isdigit() else found.none()
    page = Paginator(found, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "rules/firings.html",
        {"page_obj": page, "rules": ContentRule.objects.order_by("name"), "chosen": rule},
    )


def reviews(request):
    """Pages whose review date a rule set, soonest first; done by whoever may edit the page."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    open_reviews = PageReview.objects.filter(done_at=None).select_related("page")
    return TemplateResponse(
        request,
        "rules/reviews.html",
        {"reviews": open_reviews.order_by("due_on", "pk"), "today": timezone.localdate()},
    )


@require_POST
def review_done(request, pk):
    review = get_object_or_404(PageReview, pk=pk, done_at=None)
    page = Page.objects.get(pk=review.page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    PageReview.objects.filter(pk=review.pk, done_at=None).update(
        done_at=timezone.now(), done_by=request.user
    )
    messages.success(request, _("《%s》已标记为已复核。") % page.title)
    return redirect("rules_reviews")
