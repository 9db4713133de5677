"""The counters are rows updated in place at every event (a back-dated recognition moves a dozen
of them). On PostgreSQL each table leaves room in its pages (fillfactor) so that an update stays
on its row's page and touches no index (a "HOT" update); with full pages every update wrote a new
entry in each index. The pages written from now on keep the room; `manage.py rebuild_rollups`
rewrites all of them. And the unit's own index goes: the unique key starts with the unit."""

import django.db.models.deletion
from django.db import migrations, models

# Today's counters are few and each event moves the same rows of the top units: more room.
FILL = {"rollups_subtreecount": 80, "rollups_pastcount": 90}


def set_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, percent in FILL.items():
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


def reset_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FILL:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_placement_unit_kind"),
        ("rollups", "0002_past_counters"),
    ]

    operations = [
        *(
            migrations.AlterField(
                model_name=model,
                name="unit",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="organizations.unit",
                ),
            )
            for model in ("pastcount", "subtreecount")
        ),
        migrations.RunPython(set_fill, reset_fill),
    ]
