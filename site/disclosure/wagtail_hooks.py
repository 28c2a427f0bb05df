"""信息公开 in the Wagtail admin: the columns' review page (栏目审核) and its menu item, and a
dashboard panel listing the overdue columns, both for 审核 only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from disclosure import admin_views, review

MENU_ORDER = 160


@hooks.register("register_admin_urls")
def register_disclosure_admin_urls():
    return [
        path("disclosure/reviews/", admin_views.review_list, name="disclosure_reviews"),
        path(
            "disclosure/reviews/period/",
            admin_views.set_period,
            name="disclosure_review_period",
        ),
        path(
            "disclosure/reviews/<slug:column>/reviewed/",
            admin_views.mark_reviewed,
            name="disclosure_mark_reviewed",
        ),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return review.can_review(request.user)


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewMenuItem(
        _("栏目审核"),
        reverse("disclosure_reviews"),
        name="disclosure-reviews",
        icon_name="tasks",
        order=MENU_ORDER,
    )


class OverdueReviewsPanel(Component):
    order = 60
    template_name = "disclosure/admin/overdue_panel.html"

    def __init__(self, statuses):
        self.statuses = statuses

    def get_context_data(self, parent_context=None):
        return {"statuses": self.statuses}


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request, panels):
    if not review.can_review(request.user):
        return
    overdue = review.overdue_columns()
    if overdue:
        panels.append(OverdueReviewsPanel(overdue))
