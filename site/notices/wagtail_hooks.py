from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from chinese_text import vocabulary
from core import sections
from notices import admin_views, community_section
from notices.lifecycle.commitment_check import late_notice_warning
from notices.models import OutageNoticePage


@hooks.register("register_admin_urls")
def register_notice_admin_urls():
    return [
        path("notices/<id:notice_id>/updates/", admin_views.add_update, name="notices_add_update")
    ]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_late_planned_outage(request, page):
    if isinstance(page.specific, OutageNoticePage):
        warning = late_notice_warning(page.specific)
        if warning:
            messages.warning(request, warning)


def _update_button(page, user, priority):
    page = page.specific
    if (
        isinstance(page, OutageNoticePage)
        and page.live
        and page.permissions_for_user(user).can_publish()
    ):
        return Button(
            _("发布进展"),
            reverse("notices_add_update", args=(page.pk,)),
            icon_name="history",
            priority=priority,
        )
    return None


@hooks.register("register_page_header_buttons")
def notice_update_header_button(page, user, view_name=None, next_url=None):
    button = _update_button(page, user, priority=5)
    return [button] if button else []


@hooks.register("register_page_listing_more_buttons")
def notice_update_listing_button(page, user, next_url=None):
    button = _update_button(page, user, priority=5)
    if button:
        yield button


from notices.partners import admin_views as partner_admin  # noqa: E402

partner_admin.register()
hooks.register("register_admin_urls", partner_admin.urls)


# A community's page lists its current outages (core.sections).
hooks.register(sections.COMMUNITY_PAGE, community_section.current_notices_section)


@hooks.register(vocabulary.PLACE_NAMES)
def notice_place_names() -> list[str]:
    """The facilities and roads the notices name: words of the search."""
    rows = OutageNoticePage.objects.order_by().values_list(
        "area_name",
        "district",
        "boundary_south",
        "boundary_north",
        "boundary_west",
        "boundary_east",
    )
    return [name for row in rows.distinct() for name in vocabulary.notice_place_names(*row)]
