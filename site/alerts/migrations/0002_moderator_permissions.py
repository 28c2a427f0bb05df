"""Subscriber data is visible only to the 审核 group (and superusers)."""

from django.db import migrations

from core.group_permissions import grant_to_group

PERMISSIONS = [
    "view_subscriber",
    "change_subscriber",
    "delete_subscriber",
    "view_delivery",
    "change_delivery",
]


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("home", "0002_editorial_groups_and_workflow"),
    ]

    operations = [grant_to_group("审核", "alerts", PERMISSIONS)]
