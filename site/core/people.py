"""Who holds a permission, for staff e-mails: active users holding it through a group (审核,
say) or directly."""

from django.contrib.auth import get_user_model
from django.db.models import Q


def holders_of(permission: str):
    """Active users with `permission` ("app_label.codename"), each once."""
    app, codename = permission.split(".")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label=app,
            )
            | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app)
        )
        .distinct()
    )
