from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from regulations import admin_views, import_job


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("regulations/import/", admin_views.import_view, name="regulations_import"),
        path(
            "regulations/import/<id:job_id>/",
            admin_views.confirm_view,
            name="regulations_import_confirm",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return PagePermissionPolicy().user_has_permission(user, "add") and import_job.can_import(
            user
        )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("导入规章制度"), reverse("regulations_import"), icon_name="doc-full", order=320
    )
