"""The service desk in the Wagtail admin: the 服务诉求 menu item and views (admin_views), the
dashboard panel of the user's counts, and the holiday calendar (CalendarDay) as a snippet kept
by the 审核 group."""

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import sections
from servicedesk import admin_views, routing
from servicedesk import sections as service_sections
from servicedesk.enums import DayKind
from servicedesk.models import CalendarDay

MENU_ORDER = 150


@hooks.register("register_admin_urls")
def register_servicedesk_admin_urls():
    return [
        path("servicedesk/", admin_views.request_list, name="servicedesk_admin_list"),
        path("servicedesk/<id:pk>/", admin_views.request_detail, name="servicedesk_admin_detail"),
        path(
            "servicedesk/<id:pk>/<slug:step>/",
            admin_views.request_step,
            name="servicedesk_admin_step",
        ),
    ]


class ServiceDeskMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_use_desk(request.user)


@hooks.register("register_admin_menu_item")
def register_servicedesk_menu_item():
    return ServiceDeskMenuItem(
        _("服务诉求"),
        reverse("servicedesk_admin_list"),
        name="servicedesk",
        icon_name="clipboard-list",
        order=MENU_ORDER,
    )


class CalendarDayFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=DayKind.choices)
    year = django_filters.NumberFilter(label=_("年份"), field_name="date", lookup_expr="year")

    class Meta:
        model = CalendarDay
        fields = ["kind", "year"]


class CalendarDayViewSet(SnippetViewSet):
    """节假日安排: the exceptions to the Monday–Friday week that working-day deadlines count
    with (servicedesk.calendar). Changes apply to requests submitted afterwards."""

    model = CalendarDay
    icon = "calendar-alt"
    menu_label = _("节假日安排")
    add_to_admin_menu = True
    menu_order = MENU_ORDER + 1
    list_display = ["date", "kind", "name"]
    filterset_class = CalendarDayFilterSet
    ordering = ["date"]
    list_per_page = 50


register_snippet(CalendarDayViewSet)


class ServiceDeskPanel(Component):
    order = 50
    template_name = "servicedesk/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        user = parent_context["request"].user
        return {
            "counts": admin_views.dashboard_counts(user, timezone.now()),
            "supervisor": routing.can_supervise(user),
        }


@hooks.register("construct_homepage_panels")
def add_servicedesk_panel(request, panels):
    if admin_views.can_use_desk(request.user):
        panels.append(ServiceDeskPanel())


# A community's page offers the service desk's forms for it (core.sections).
hooks.register(sections.COMMUNITY_PAGE, service_sections.community_services_section)
