from django.db import migrations


def seed(apps, schema_editor):
    from grassroots.classifications.seeds import seed_rule_sets

    seed_rule_sets(apps.get_model("classifications", "RuleSet"))


def unseed(apps, schema_editor):
    from grassroots.classifications.seeds import RULE_SETS

    rule_set = apps.get_model("classifications", "RuleSet")
    rule_set.objects.filter(
        code__in=[s["code"] for s in RULE_SETS], reviews__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("classifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
