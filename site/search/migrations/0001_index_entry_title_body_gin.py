"""PostgreSQL: a GIN index on `title || body` of the search index entries, the expression the
database search backend matches every query against. Without it each search reads all entries
(10,000 notices: about 25 ms per query, see docs/benchmarks.md). Nothing to do on SQLite,
whose FTS5 table is the index."""

from django.db import migrations

INDEX_NAME = "search_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
