"""The 公众号 is 审核's: its followers (masked), their export, the menu and its push."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "view_wechatfollower",
    "export_wechatfollower",
    "view_wechatmenusettings",
    "change_wechatmenusettings",
]


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("alerts"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="审核")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="alerts", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="审核"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="alerts", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("alerts", "0012_wechat_followers")]

    operations = [migrations.RunPython(grant, revoke)]
