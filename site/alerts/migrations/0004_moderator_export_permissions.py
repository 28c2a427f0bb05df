"""Only the 审核 group (and superusers) may download the subscriber list and see the record of
downloads (in the admin's site history)."""

from django.db import migrations

from core.group_permissions import grant_to_group

PERMISSIONS = ["export_subscriber", "view_subscriberexport"]


class Migration(migrations.Migration):
    dependencies = [("alerts", "0003_subscriber_export")]

    operations = [grant_to_group("审核", "alerts", PERMISSIONS)]
