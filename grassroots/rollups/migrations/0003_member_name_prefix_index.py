"""An index over members' folded names in byte order (collation "C"), with the id, on
PostgreSQL: a search typed from the start of a name ("nguyen van hung") reads its first page
straight off this index, in name order, instead of fetching and sorting every match (tens of
thousands at national scale). Byte order whatever the database's collation: only "C" lets
PostgreSQL turn `LIKE 'prefix%'` into an index range. Other backends: nothing to do.
"""

from django.db import migrations

INDEX = "member_name_prefix_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON members_member ((name_folded COLLATE "C"), id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("rollups", "0002_member_name_trigram_index"),
        ("members", "0005_event_index_with_unit"),
    ]

    operations = [migrations.RunPython(create, drop)]
