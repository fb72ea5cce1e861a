"""Chinese search by character bigrams (``portal.search``), PostgreSQL only.

The function ``portal_bigrams(text)`` and one GIN index per searched column. On
other databases (SQLite for a local trial) nothing is created and ``has_text``
is a plain ``LIKE``.
"""

from django.db import migrations

from portal.search import BIGRAMS_SQL

# (index name, table, column): the columns ``__has_text`` searches.
BIGRAM_INDEXES = [
    ("person_name_bigrams", "deputies_person", "name"),
    ("suggestion_title_bigrams", "proposals_suggestion", "title"),
    ("suggestion_problem_bigrams", "proposals_suggestion", "problem"),
    ("opinion_content_bigrams", "stations_opinion", "content"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS_SQL)
    for name, table, column in BIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (portal_bigrams({column}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in BIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_supervision_unit_kind"),
        ("deputies", "0005_stroke_order_keys_electing_units"),
        ("proposals", "0006_closed_loop"),
        ("stations", "0006_opinion_tracking_key_unique_sms"),
    ]
    operations = [migrations.RunPython(create, drop)]
