"""Only 审核 manages partner feed sources: a trusted source publishes without review."""

from django.db import migrations

from core.group_permissions import grant_to_group

PERMISSIONS = [
    "add_partnerfeedsource",
    "change_partnerfeedsource",
    "delete_partnerfeedsource",
    "view_partnerfeedsource",
    "view_partnerentry",
]


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_partner_feeds"),
        ("home", "0002_editorial_groups_and_workflow"),
    ]

    operations = [grant_to_group("审核", "notices", PERMISSIONS)]
