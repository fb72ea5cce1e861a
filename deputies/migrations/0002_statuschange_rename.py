"""The event table inherits portal.workflow.StatusChange: its status columns
take the shared names (renamed, the rows are kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial")]
    operations = [
        migrations.RenameField("qualificationevent", "from_status", "from_state"),
        migrations.RenameField("qualificationevent", "to_status", "to_state"),
    ]
