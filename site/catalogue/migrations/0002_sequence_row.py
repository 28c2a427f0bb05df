from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("catalogue", "CatalogueSequence").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    """The sequence's one row, which every change locks to take its number."""

    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
