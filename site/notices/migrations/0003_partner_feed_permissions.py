"""Only 审核 manages partner feed sources: a trusted source publishes without review."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "add_partnerfeedsource",
    "change_partnerfeedsource",
    "delete_partnerfeedsource",
    "view_partnerfeedsource",
    "view_partnerentry",
]


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("notices"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="审核")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="notices", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="审核"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="notices", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_partner_feeds"),
        ("home", "0002_editorial_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
