from wagtail.snippets.permissions import get_permission_name

from rules.models import ContentRule


def can_edit_rules(user) -> bool:
    return any(
        user.has_perm(get_permission_name(action, ContentRule)) for action in ("add", "change")
    )


def can_view_rules(user) -> bool:
    return can_edit_rules(user) or user.has_perm(get_permission_name("view", ContentRule))
