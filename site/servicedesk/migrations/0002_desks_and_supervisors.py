"""A service team group for every existing station (new ones get theirs from
servicedesk.signal_handlers), and the 审核 group as supervisors: they see every request,
receive escalations and keep the holiday calendar."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

SUPERVISOR_PERMISSIONS = [
    "supervise_servicerequest",
    "handle_servicerequest",
    "add_calendarday",
    "change_calendarday",
    "delete_calendarday",
    "view_calendarday",
]
DESK_PERMISSIONS = [("wagtailadmin", "access_admin"), ("servicedesk", "handle_servicerequest")]


def forwards(apps, schema_editor):
    for label in ("wagtailadmin", "servicedesk"):
        app_config = global_apps.get_app_config(label)
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Station = apps.get_model("contacts", "Station")
    StationDesk = apps.get_model("servicedesk", "StationDesk")

    moderators, _ = Group.objects.get_or_create(name="审核")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="servicedesk", codename__in=SUPERVISOR_PERMISSIONS
        )
    )
    desk_permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in DESK_PERMISSIONS
    ]
    for station in Station.objects.filter(desk__isnull=True):
        group, _ = Group.objects.get_or_create(name=f"服务台：{station.name}")
        group.permissions.add(*desk_permissions)
        StationDesk.objects.create(station=station, group=group)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    StationDesk = apps.get_model("servicedesk", "StationDesk")
    group_ids = list(StationDesk.objects.values_list("group_id", flat=True))
    StationDesk.objects.all().delete()
    Group.objects.filter(pk__in=group_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0001_initial"),
        ("contacts", "0001_initial"),
        ("home", "0002_editorial_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
