"""The member list's order: by given name, then surname, as Vietnamese lists are sorted.

`sort_name` is the folded name with its last word (the given name) first, computed by the
database (a stored generated column), so that rows written by COPY or raw SQL carry it too. It is
indexed with the id in byte order (collation "C" on PostgreSQL, the default BINARY on SQLite):
the list's first page is then read off the index in order instead of sorting every member of a
province, and the order does not depend on the database's collation (which may ignore spaces).
"""

import django.db.models.expressions
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

INDEX = "member_sort_name_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON members_member ((sort_name COLLATE "C"), id)'
        )
    else:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (sort_name, id)"
        )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_ledger_rules_leaving_reason_temporary_stay"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="sort_name",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        django.db.models.lookups.GreaterThan(
                            django.db.models.functions.text.StrIndex(
                                django.db.models.functions.text.Reverse("name_folded"),
                                models.Value(" "),
                            ),
                            0,
                        ),
                        then=django.db.models.functions.text.Concat(
                            django.db.models.functions.text.Substr(
                                "name_folded",
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.functions.text.Length("name_folded"),
                                        "-",
                                        django.db.models.functions.text.StrIndex(
                                            django.db.models.functions.text.Reverse("name_folded"),
                                            models.Value(" "),
                                        ),
                                    ),
                                    "+",
                                    models.Value(2),
                                ),
                            ),
                            models.Value(" "),
                            django.db.models.functions.text.Substr(
                                "name_folded",
                                1,
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.functions.text.Length("name_folded"),
                                    "-",
                                    django.db.models.functions.text.StrIndex(
                                        django.db.models.functions.text.Reverse("name_folded"),
                                        models.Value(" "),
                                    ),
                                ),
                            ),
                        ),
                    ),
                    default=models.F("name_folded"),
                    output_field=models.CharField(max_length=150),
                ),
                output_field=models.CharField(max_length=150),
            ),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
