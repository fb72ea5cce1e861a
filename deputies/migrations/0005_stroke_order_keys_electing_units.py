"""Recompute the stored 姓氏笔画 keys (portal/names.py now orders a stroke count by
the strokes' shapes 横竖撇点折, GB13000.1) and fill 原选举单位 from the electoral
units (选举单位) that were recorded as named constituencies."""

from django.db import migrations


def recompute_stroke_keys(apps, schema_editor):
    # The key is derived data: the current function is the one to apply.
    from portal.names import stroke_sort_key

    Person = apps.get_model("deputies", "Person")
    Mandate = apps.get_model("deputies", "Mandate")
    people = list(Person.objects.only("pk", "name", "name_stroke_key"))
    changed = []
    for person in people:
        key = stroke_sort_key(person.name)
        if key != person.name_stroke_key:
            person.name_stroke_key = key
            changed.append(person)
    Person.objects.bulk_update(changed, ["name_stroke_key"], batch_size=1000)
    for person in changed:
        Mandate.objects.filter(person_id=person.pk).update(
            name_stroke_key=person.name_stroke_key
        )


def fill_electing_units(apps, schema_editor):
    Mandate = apps.get_model("deputies", "Mandate")
    Congress = apps.get_model("portal", "Congress")
    rows = Mandate.objects.filter(
        congress__level__in=["national", "province", "city"],
        constituency__kind="electoral_unit",
        electing_congress__isnull=True,
        elected_by_army=False,
    ).select_related("congress", "constituency")
    for mandate in rows:
        name = mandate.constituency.name
        if "解放军" in name:
            Mandate.objects.filter(pk=mandate.pk).update(elected_by_army=True)
            continue
        below = Congress.objects.filter(
            region__parent_id=mandate.congress.region_id
        ).filter(region__name=name) | Congress.objects.filter(
            region__parent_id=mandate.congress.region_id, name=name
        )
        match = below.first()
        if match is not None:
            Mandate.objects.filter(pk=mandate.pk).update(electing_congress=match)


class Migration(migrations.Migration):
    dependencies = [("deputies", "0004_electoral_units_death")]

    operations = [
        migrations.RunPython(recompute_stroke_keys, migrations.RunPython.noop),
        migrations.RunPython(fill_electing_units, migrations.RunPython.noop),
    ]
