"""编辑 and 审核 read the link report and its dashboard panel; 审核 also starts a run from the
admin and is e-mailed the problems nobody else answers for (settings, pages whose people have no
address)."""

from django.db import migrations

from core.group_permissions import grant_to_group


class Migration(migrations.Migration):
    dependencies = [("linkcheck", "0001_initial"), ("home", "0002_editorial_groups_and_workflow")]

    operations = [
        grant_to_group("编辑", "linkcheck", ["view_linkproblem"]),
        grant_to_group("审核", "linkcheck", ["view_linkproblem", "run_check"]),
    ]
