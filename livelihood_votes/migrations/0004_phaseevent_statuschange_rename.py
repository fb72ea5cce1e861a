# Hand-written: the phase event table joins portal.workflow.StatusChange; its
# columns are renamed, never dropped (data kept).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("livelihood_votes", "0003_programme_budget")]

    operations = [
        migrations.RenameField("phaseevent", "from_phase", "from_state"),
        migrations.RenameField("phaseevent", "to_phase", "to_state"),
    ]
