"""The event table inherits portal.workflow.StatusChange: its status columns
take the shared names (renamed, the rows are kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]
    operations = [
        migrations.RenameField("opinionevent", "from_status", "from_state"),
        migrations.RenameField("opinionevent", "to_status", "to_state"),
    ]
