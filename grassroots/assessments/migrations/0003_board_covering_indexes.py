"""A board's counts read from indexes alone: the frameworks its subtree's units use (the index
by unit and year holds the framework) and the months each of its units filed (the index by
registration and month holds the status). Each replaces the single-column index of its foreign
key, which it starts with. The status and framework ride along on PostgreSQL only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_board_tallies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="monthlyassessment",
            name="registration",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="assessments.registration",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessment_registrations",
                to="organizations.unit",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyassessment",
            index=models.Index(
                fields=["registration", "month"],
                include=("status",),
                name="assessment_registration_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=["unit", "year"], include=("framework",), name="registration_unit_year_idx"
            ),
        ),
    ]
