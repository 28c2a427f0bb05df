"""链接检查 in the Wagtail admin: the report under 报告, its dashboard panel, the permissions in
the group editor, and the list of linking pages on the delete and unpublish confirmation pages
(templates/wagtailadmin/shared/usage_summary.html, linkcheck_tags)."""

from django.contrib.auth.models import Permission
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from linkcheck import admin_views
from linkcheck.enums import Severity
from linkcheck.models import LinkProblem
from linkcheck.report import latest_run_start

PANEL_SOURCES = 5  # the pages with the most problems, on the dashboard


@hooks.register("register_admin_urls")
def register_linkcheck_admin_urls():
    return [
        path("linkcheck/", admin_views.report, name="linkcheck_report"),
        path("linkcheck/report.csv", admin_views.report_csv, name="linkcheck_report_csv"),
        path("linkcheck/run/", admin_views.start_run, name="linkcheck_start"),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("链接检查"), reverse("linkcheck_report"), name="linkcheck", icon_name="link", order=900
    )


@hooks.register("register_permissions")
def register_linkcheck_permissions():
    return Permission.objects.filter(
        content_type__app_label="linkcheck", codename__in=["view_linkproblem", "run_check"]
    )


class BrokenLinksPanel(Component):
    order = 70
    template_name = "linkcheck/admin/dashboard_panel.html"

    def __init__(self, counts: dict):
        self.counts = counts

    def get_context_data(self, parent_context=None):
        return self.counts


@hooks.register("construct_homepage_panels")
def add_broken_links_panel(request, panels):
    if not admin_views.can_view(request.user):
        return
    open_problems = LinkProblem.objects.filter(fixed_at__isnull=True)
    counts = {
        "errors": open_problems.filter(severity=Severity.ERROR).count(),
        "warnings": open_problems.filter(severity=Severity.WARNING).count(),
    }
    started = latest_run_start()
    counts["new"] = (
        open_problems.filter(first_seen__gte=started) if started else open_problems
    ).count()
    if counts["errors"] or counts["warnings"]:
        counts["sources"] = (
            open_problems.values("source_type_id", "source_id", "source_label")
            .annotate(count=Count("pk"))
            .order_by("-count", "source_label")[:PANEL_SOURCES]
        )
        panels.append(BrokenLinksPanel(counts))
