"""The index of places by path also holds each place's unit and days, so that the places of a
subtree are read from the index alone (a province's day inside a month: rollups.past).
PostgreSQL only; elsewhere the index is as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_past_counters"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="unitplacement", name="placement_path_idx"),
        migrations.AddIndex(
            model_name="unitplacement",
            index=models.Index(
                fields=["path"],
                include=("unit", "valid_from", "valid_to"),
                name="placement_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
