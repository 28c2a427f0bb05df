"""Admin for partner feeds: the sources staff configure, with how the last check went, and a
read-only list of the entries seen, each with its notice or the reason it was not imported."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from notices.partners import import_job
from notices.partners.models import FeedStatus, PartnerEntry, PartnerFeedSource


def _label(model, name: str) -> str:
    return model._meta.get_field(name).verbose_name


def refresh_view(request):
    """检查订阅源: a confirmation page, then (POST) the job and its progress page."""
    if not request.user.has_perms(import_job.PERMISSIONS):
        raise PermissionDenied
    if request.method == "POST":
        job = import_job.start(user=request.user)
        return redirect("jobs_progress", job_id=job.pk)
    enabled = PartnerFeedSource.objects.filter(enabled=True).order_by("name")
    return render(request, "notices/admin/partner_feeds_refresh.html", {"sources": enabled})


def urls() -> list:
    return [path("partner-feeds/refresh/", refresh_view, name="partner_feeds_refresh")]


class SourceIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perms(import_job.PERMISSIONS):
            url = reverse("partner_feeds_refresh")
            buttons.append(HeaderButton(_("立即检查"), url=url, icon_name="rotate"))
        return buttons


class PartnerFeedSourceViewSet(SnippetViewSet):
    model = PartnerFeedSource
    index_view_class = SourceIndexView
    icon = "link-external"
    list_display = [
        "name",
        BooleanColumn("trusted", label=_label(PartnerFeedSource, "trusted"), sort_key="trusted"),
        BooleanColumn("enabled", label=_label(PartnerFeedSource, "enabled"), sort_key="enabled"),
        StatusTagColumn(
            "get_last_status_display",
            label=_label(PartnerFeedSource, "last_status"),
            sort_key="last_status",
            primary=lambda source: source.last_status == FeedStatus.OK,
        ),
        DateColumn(
            "last_checked_at",
            label=_label(PartnerFeedSource, "last_checked_at"),
            sort_key="last_checked_at",
        ),
        "last_imported_count",
        Column("last_error_excerpt", label=_label(PartnerFeedSource, "last_error")),
    ]
    list_filter = ["trusted", "enabled", "last_status"]
    search_fields = ["name", "url"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "url",
        "default_utility",
        "default_district",
        "trusted",
        "enabled",
        "last_checked_at",
        "last_status",
        "last_error",
        "last_imported_count",
    ]


class EntriesReadOnly(ModelPermissionPolicy):
    """Entries are written by the import job only: whoever may see the sources may list them,
    nobody adds, edits or deletes them."""

    def user_has_permission(self, user, action):
        return action == "view" and (
            user.has_perm("notices.view_partnerentry")
            or user.has_perm("notices.change_partnerfeedsource")
        )


class PartnerEntryViewSet(SnippetViewSet):
    model = PartnerEntry
    icon = "list-ul"
    list_display = [
        "__str__",
        "source",
        "notice",
        DateColumn(
            "imported_at", label=_label(PartnerEntry, "imported_at"), sort_key="imported_at"
        ),
        "problem",
        DateColumn("checked_at", label=_label(PartnerEntry, "checked_at"), sort_key="checked_at"),
    ]
    list_filter = ["source"]
    search_fields = ["title", "guid"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return PartnerEntry.objects.select_related("source", "notice")


class PartnerFeedsGroup(SnippetViewSetGroup):
    items = (PartnerFeedSourceViewSet, PartnerEntryViewSet)
    menu_icon = "link-external"
    menu_label = _("合作单位订阅源")
    menu_name = "partner-feeds"


def register() -> None:
    """Called once, from notices.wagtail_hooks."""
    register_permission_policy(PartnerEntry, EntriesReadOnly(PartnerEntry), exact_class=True)
    register_snippet(PartnerFeedsGroup)
