"""Opinions: their own congress (for acting by level) and the lookup key of
random tracking codes (filled by 0005)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("stations", "0003_statuschange_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="opinion",
            name="tracking_key",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.AddField(
            model_name="opinion",
            name="congress",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="portal.congress",
                verbose_name="所属人大",
            ),
        ),
    ]
