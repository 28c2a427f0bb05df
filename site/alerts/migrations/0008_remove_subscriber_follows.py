from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0007_subscriber_utilities"),
    ]

    operations = [
        migrations.RemoveField(model_name="subscriber", name=f"follows_{utility}")
        for utility in ("heat", "water", "gas", "power")
    ]
