"""Two indexes over members' folded names on PostgreSQL, for the member search at national scale.

- `member_name_folded_trgm_idx`, a trigram index (pg_trgm): a search by any part of a name
  without diacritics ("nguyen van") over millions of members is an index scan. CREATE EXTENSION
  needs a privileged role: when the role may not create it (and it is not there already), the
  index is skipped and search falls back to a scan; `manage.py migrate` says so.
- `member_name_prefix_idx`, the folded name in byte order (collation "C") with the id: a search
  typed from the start of a name ("nguyen van hung") reads its first page straight off this
  index, in name order, instead of fetching and sorting every match. Byte order whatever the
  database's collation: only "C" lets PostgreSQL turn `LIKE 'prefix%'` into an index range.

They were created by the roll-ups' migrations before the roll-ups stopped depending on the
members; the same names, and IF NOT EXISTS, leave a database migrated then as it was. Other
backends: nothing to do.
"""

from django.db import migrations, transaction

TRIGRAM = "member_name_folded_trgm_idx"
PREFIX = "member_name_prefix_idx"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {PREFIX} ON members_member ((name_folded COLLATE "C"), id)'
    )
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # not allowed for this role: keep the plain scan
            print(f"\n  pg_trgm is not available to this role: {TRIGRAM} not created.")
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM} "
            "ON members_member USING gin (name_folded gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {PREFIX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0007_member_sort_name")]

    operations = [migrations.RunPython(create, drop)]
