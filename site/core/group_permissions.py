"""A data migration's grant of an app's permissions to a staff group (审核, for instance), and
its reverse. The permissions are created first: on a fresh database Django creates them only
after the last migration, too late for a grant in the middle."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_to_group(group_name: str, app_label: str, codenames: list[str]) -> migrations.RunPython:
    def permissions(apps):
        return apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )

    def grant(apps, schema_editor):
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, apps=apps)
        group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
        group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        for group in apps.get_model("auth", "Group").objects.filter(name=group_name):
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
