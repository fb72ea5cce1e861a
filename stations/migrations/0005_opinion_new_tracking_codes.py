"""Every existing opinion gets a new random tracking code and its own congress.

The old sequential codes
(TH-2026-0031, 0032, …) let anyone read others' status and replies, so they stop
working. Staff see the new code on the opinion's page and can tell a citizen who
calls.
"""

import secrets

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _key() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def _code(prefix: str, key: str) -> str:
    return f"{prefix}-{key[:4]}-{key[4:8]}-{key[8:]}"


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def forwards(apps, schema_editor):
    Opinion = apps.get_model("stations", "Opinion")
    Congress = apps.get_model("portal", "Congress")
    congress_of: dict[str, int | None] = {}
    used: set[str] = set()
    for opinion in Opinion.objects.select_related("station").order_by("pk").iterator():
        path = opinion.station.region_path
        if path not in congress_of:
            congress_of[path] = (
                Congress.objects.filter(region__path__in=_ancestor_paths(path))
                .order_by("-region__depth")
                .values_list("pk", flat=True)
                .first()
            )
        key = _key()
        while key in used:
            key = _key()
        used.add(key)
        opinion.tracking_key = key
        opinion.tracking_code = _code(opinion.station.tracking_prefix, key)
        opinion.congress_id = congress_of[path]
        opinion.save(update_fields=["tracking_key", "tracking_code", "congress"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("stations", "0004_opinion_levels_and_random_codes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
