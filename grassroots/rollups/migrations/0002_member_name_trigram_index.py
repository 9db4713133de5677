"""A trigram index over members' folded names on PostgreSQL, so that a search by any part of a
name without diacritics ("nguyen van") over millions of members is an index scan.

It sits with the national-scale read paths. CREATE EXTENSION needs a privileged role: when the
role may not create it (and it is not there already), the index is skipped and search falls
back to a scan; `manage.py migrate` says so. Other backends: nothing to do.
"""

from django.db import migrations, transaction

INDEX = "member_name_folded_trgm_idx"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # not allowed for this role: keep the plain scan
            print(f"\n  pg_trgm is not available to this role: {INDEX} not created.")
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (name_folded gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("rollups", "0001_subtree_counts"),
        ("members", "0003_membership_standing"),
    ]

    operations = [migrations.RunPython(create, drop)]
