"""The delivery ledger counts every hand-over to the provider and every acceptance, so the report
shows a text sent twice. Rows from before start from what is known: the claims they had
(`attempts`, reset by a staff retry, so at least this many) and one acceptance for each sent
row."""

from django.db import migrations, models
from django.db.models import F


def count_what_is_known(apps, schema_editor):
    Delivery = apps.get_model("alerts", "Delivery")
    Delivery.objects.update(handovers=F("attempts"))
    Delivery.objects.filter(status="sent").update(accepted=1)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0008_remove_subscriber_follows"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="handovers",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="发送次数"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="accepted",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="受理次数"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="unconfirmed",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="无法确认次数"),
        ),
        migrations.RunPython(count_what_is_known, migrations.RunPython.noop),
    ]
