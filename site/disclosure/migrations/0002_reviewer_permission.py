"""The 审核 group reviews the disclosure columns (disclosure.review): it sees the 栏目审核 page
and the dashboard panel, marks columns reviewed, sets their periods and gets the daily e-mail."""

from django.db import migrations

from core.group_permissions import grant_to_group


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial"), ("home", "0002_editorial_groups_and_workflow")]

    operations = [grant_to_group("审核", "disclosure", ["review_column"])]
