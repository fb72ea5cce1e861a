"""pg_trgm for similar-suggestion search on PostgreSQL (a no-op elsewhere)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [TrigramExtension()]
