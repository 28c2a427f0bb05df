"""Content rules in the Wagtail admin: the rules as snippets with drafts, revisions and the audit
log (审核 edit and publish them, editors read them), a dry run from the edit form, the ledger of
what the rules did, and the pages due for review."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from rules import views
from rules.forms import ContentRuleForm
from rules.models import ContentRule
from rules.permissions import can_edit_rules, can_view_rules

MENU_ORDER = 170


class ContentRuleViewSet(SnippetViewSet):
    model = ContentRule
    icon = "cogs"
    menu_label = _("内容规则")
    menu_name = "content-rules"
    menu_order = MENU_ORDER
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["name", "trigger_labels", "priority", "live"]
    search_fields = ["name", "description"]
    ordering = ["priority", "pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("triggers"),
            FieldPanel("conditions"),
            FieldPanel("actions"),
            FieldPanel("priority"),
        ],
        base_form_class=ContentRuleForm,
    )


content_rule_viewset = ContentRuleViewSet()
register_snippet(content_rule_viewset)


class DryRunMenuItem(ActionMenuItem):
    """试运行: submits the form as it stands to the dry run, in a new tab, saving nothing."""

    name = "action-dry-run"
    label = _("试运行（最近30天）")
    icon_name = "view"
    template_name = "rules/dry_run_button.html"
    order = 5

    def is_shown(self, context):
        return context.get("model") is ContentRule and can_edit_rules(context["request"].user)

    def get_url(self, parent_context):
        instance = parent_context.get("instance")
        if instance is not None and instance.pk:
            return reverse("rules_dry_run_rule", args=[instance.pk])
        return reverse("rules_dry_run")


@hooks.register("register_snippet_action_menu_item")
def register_dry_run_menu_item(model):
    return DryRunMenuItem() if model is ContentRule else None


@hooks.register("register_admin_urls")
def register_rules_admin_urls():
    return [
        path("rules/dry-run/", views.dry_run, name="rules_dry_run"),
        path("rules/dry-run/<id:pk>/", views.dry_run, name="rules_dry_run_rule"),
        path("rules/firings/", views.firings, name="rules_firings"),
        path("rules/reviews/", views.reviews, name="rules_reviews"),
        path("rules/reviews/<id:pk>/done/", views.review_done, name="rules_review_done"),
    ]


class FiringsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_rules(request.user)


@hooks.register("register_admin_menu_item")
def register_firings_menu_item():
    return FiringsMenuItem(
        _("规则执行记录"),
        reverse("rules_firings"),
        name="rule-firings",
        icon_name="history",
        order=MENU_ORDER + 1,
    )


@hooks.register("register_admin_menu_item")
def register_reviews_menu_item():
    return MenuItem(
        _("页面复核"),
        reverse("rules_reviews"),
        name="page-reviews",
        icon_name="date",
        order=MENU_ORDER + 2,
    )
