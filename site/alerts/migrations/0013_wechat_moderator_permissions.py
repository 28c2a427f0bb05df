"""The 公众号 is 审核's: its followers (masked), their export, the menu and its push."""

from django.db import migrations

from core.group_permissions import grant_to_group

PERMISSIONS = [
    "view_wechatfollower",
    "export_wechatfollower",
    "view_wechatmenusettings",
    "change_wechatmenusettings",
]


class Migration(migrations.Migration):
    dependencies = [("alerts", "0012_wechat_followers")]

    operations = [grant_to_group("审核", "alerts", PERMISSIONS)]
