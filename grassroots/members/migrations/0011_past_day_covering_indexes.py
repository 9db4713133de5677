"""Two indexes that hold the columns their reads need, so that those reads never visit the
table: the birthdays crossing an age boundary in a province's days since a month's end (each
interval's first and last days ride in the index by date of birth), and a province's events of
a part month (the other end of a transfer and the discipline level ride in the index by kind,
date and unit). PostgreSQL only; elsewhere the indexes are as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_membership_birth_date"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="memberevent", name="event_kind_date_unit_idx"),
        migrations.RemoveIndex(model_name="membership", name="membership_birth_idx"),
        migrations.AddIndex(
            model_name="memberevent",
            index=models.Index(
                fields=["kind", "date", "unit"],
                include=("other_unit", "discipline_level"),
                name="event_kind_date_unit_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                fields=["birth_date", "unit", "id"],
                include=("start", "end"),
                name="membership_birth_idx",
            ),
        ),
    ]
