"""Group robots (管家群) and press contacts (媒体), the recipients of two more channels; the 审核
group manages both, as it manages the SMS subscribers (0002)."""

import django.db.models.deletion
from django.db import migrations, models

from core.group_permissions import grant_to_group

PERMISSIONS = [
    f"{action}_{model}"
    for model in ("grouprobot", "presscontact")
    for action in ("add", "change", "delete", "view")
]


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0010_channel_ledger"),
        ("contacts", "0001_initial"),
        ("home", "0002_editorial_groups_and_workflow"),
    ]

    operations = [
        migrations.CreateModel(
            name="PressContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outlet",
                    models.CharField(
                        help_text="例如：长春日报", max_length=80, verbose_name="媒体"
                    ),
                ),
                ("person", models.CharField(blank=True, max_length=40, verbose_name="联系人")),
                ("email", models.EmailField(max_length=254, unique=True, verbose_name="电子邮箱")),
                ("active", models.BooleanField(default=True, verbose_name="启用")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
            ],
            options={
                "verbose_name": "媒体联系人",
                "verbose_name_plural": "媒体联系人",
            },
        ),
        migrations.CreateModel(
            name="GroupRobot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="例如：兴宇小区3号楼供热管家群",
                        max_length=80,
                        verbose_name="群名称",
                    ),
                ),
                ("building", models.CharField(blank=True, max_length=40, verbose_name="楼栋")),
                (
                    "webhook_key",
                    models.CharField(max_length=64, unique=True, verbose_name="Webhook key"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="启用")),
                (
                    "deactivated_reason",
                    models.CharField(blank=True, max_length=200, verbose_name="停用原因"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="group_robots",
                        to="contacts.community",
                        verbose_name="小区",
                    ),
                ),
            ],
            options={
                "verbose_name": "管家群机器人",
                "verbose_name_plural": "管家群机器人",
                "indexes": [
                    models.Index(fields=["community", "active"], name="group_robot_audience")
                ],
            },
        ),
        grant_to_group("审核", "alerts", PERMISSIONS),
    ]
