"""Subscribers' followed utilities move from one boolean column per utility (follows_heat, …) to
one SubscriberUtility row per utility followed, so a new utility needs no new column. Every
subscriber gets a row for each of its booleans that is true; backwards, each boolean is true
exactly when its row exists (rows of utilities added later have no column to go back to). The
columns are removed in 0008, once this has run."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef

# The utilities that had a column, frozen here: the enum may grow, the columns never will.
COLUMNS = ("heat", "water", "gas", "power")


def columns_to_rows(apps, schema_editor):
    Subscriber = apps.get_model("alerts", "Subscriber")
    SubscriberUtility = apps.get_model("alerts", "SubscriberUtility")
    for utility in COLUMNS:
        followers = Subscriber.objects.filter(**{f"follows_{utility}": True}).values_list(
            "pk", flat=True
        )
        SubscriberUtility.objects.bulk_create(
            (SubscriberUtility(subscriber_id=pk, utility=utility) for pk in followers.iterator()),
            batch_size=1000,
        )


def rows_to_columns(apps, schema_editor):
    Subscriber = apps.get_model("alerts", "Subscriber")
    SubscriberUtility = apps.get_model("alerts", "SubscriberUtility")
    Subscriber.objects.update(
        **{
            f"follows_{utility}": Exists(
                SubscriberUtility.objects.filter(subscriber=OuterRef("pk"), utility=utility)
            )
            for utility in COLUMNS
        }
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0006_verification_codes_to_sms"),
    ]

    operations = [
        migrations.CreateModel(
            name="SubscriberUtility",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "utility",
                    models.CharField(
                        choices=[
                            ("heat", "停热"),
                            ("water", "停水"),
                            ("gas", "停气"),
                            ("power", "停电"),
                        ],
                        max_length=10,
                        verbose_name="类型",
                    ),
                ),
                (
                    "subscriber",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followed_utilities",
                        to="alerts.subscriber",
                    ),
                ),
            ],
            options={
                "verbose_name": "关注类型",
                "verbose_name_plural": "关注类型",
                "indexes": [
                    models.Index(
                        fields=["utility", "subscriber"], name="subscriber_utility_audience"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subscriber", "utility"), name="one_row_per_subscriber_utility"
                    )
                ],
            },
        ),
        migrations.RunPython(columns_to_rows, rows_to_columns),
    ]
