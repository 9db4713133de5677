"""Seed the holiday table for 2000–2035 from the holiday calendar (the `holidays` package and
the government's days off of `core.holiday_calendar`); later years: `manage.py holidays seed`."""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2000, 2035


def seed(apps, schema_editor):
    from grassroots.core.holiday_calendar import calendar_rows

    Holiday = apps.get_model("core", "Holiday")
    taken = set(Holiday.objects.values_list("date", flat=True))
    Holiday.objects.bulk_create(
        Holiday(date=row.date, name=row.name, kind=row.kind, source=row.source)
        for row in calendar_rows(FIRST_YEAR, LAST_YEAR)
        if row.date not in taken
    )


def unseed(apps, schema_editor):
    from grassroots.core.holiday_calendar import calendar_rows

    Holiday = apps.get_model("core", "Holiday")
    Holiday.objects.filter(date__in=[row.date for row in calendar_rows(FIRST_YEAR, LAST_YEAR)]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_holiday"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
