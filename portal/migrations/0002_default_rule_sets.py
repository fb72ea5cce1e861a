"""Seed the national default rule set (from the law) and the township level defaults."""

from django.db import migrations

from portal.rules import NATIONAL_DEFAULTS

# Frozen as first seeded (statutory per-level values now live on the RuleSpec).
LEVEL_DEFAULTS = {"township": {"bill_min_cosigners": 5}}


def seed(apps, schema_editor):
    RuleSet = apps.get_model("portal", "RuleSet")
    RuleSet.objects.get_or_create(
        congress=None, level="", defaults={"name": "全国默认规则", "values": NATIONAL_DEFAULTS}
    )
    for level, values in LEVEL_DEFAULTS.items():
        RuleSet.objects.get_or_create(
            congress=None, level=level, defaults={"name": f"乡镇级默认规则" if level == "township" else f"{level} 默认规则", "values": values}
        )


def unseed(apps, schema_editor):
    apps.get_model("portal", "RuleSet").objects.filter(congress=None).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
