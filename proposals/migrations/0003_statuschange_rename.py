"""The event table inherits portal.workflow.StatusChange: its status columns
take the shared names (renamed, the rows are kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_pg_trgm")]
    operations = [
        migrations.RenameField("suggestionevent", "from_status", "from_state"),
        migrations.RenameField("suggestionevent", "to_status", "to_state"),
    ]
