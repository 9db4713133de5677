"""The member's date of birth copied onto each membership interval, and the indexes of a past
day inside a month by (day, unit, id): a province's intervals that changed in a few days, or
whose member reached an age boundary in them, found without the country's (rollups.past)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_past_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="birth_date",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunSQL(
            "UPDATE members_membership SET birth_date = "
            "(SELECT m.birth_date FROM members_member m WHERE m.id = members_membership.member_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="membership",
            name="birth_date",
            field=models.DateField(editable=False),
        ),
        migrations.RemoveIndex(model_name="member", name="member_birth_date_idx"),
        migrations.RemoveIndex(model_name="membership", name="membership_start_idx"),
        migrations.RemoveIndex(model_name="membership", name="membership_end_idx"),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["start", "unit", "id"], name="membership_start_idx"),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["end", "unit", "id"], name="membership_end_idx"),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["birth_date", "unit", "id"], name="membership_birth_idx"),
        ),
    ]
