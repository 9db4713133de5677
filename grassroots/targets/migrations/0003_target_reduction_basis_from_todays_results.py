"""Existing lower-is-better levels and shares state the judgement that gives today's results:
until now a baseline above the target meant "share of the promised fall", anything else "level
reached". From here on the target says which; nothing is inferred any more."""

from django.db import migrations
from django.db.models import F

JUDGED = ("level", "ratio")


def state_todays_judgement(apps, schema_editor):
    Target = apps.get_model("targets", "Target")
    lower = Target.objects.filter(indicator__direction="lower", kind__in=JUDGED)
    lower.filter(baseline_value__isnull=False, baseline_value__gt=F("target_value")).update(reduction_basis="fall")
    lower.filter(reduction_basis="").update(reduction_basis="level")


def forget_the_judgement(apps, schema_editor):
    apps.get_model("targets", "Target").objects.update(reduction_basis="")


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0002_target_reduction_basis"),
    ]

    operations = [
        migrations.RunPython(state_todays_judgement, forget_the_judgement),
    ]
