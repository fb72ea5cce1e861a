"""Random tracking codes are unique; text messages to the citizen, once per key."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("stations", "0005_opinion_new_tracking_codes")]

    operations = [
        migrations.AlterField(
            model_name="opinion",
            name="tracking_key",
            field=models.CharField(editable=False, max_length=16, unique=True),
        ),
        migrations.CreateModel(
            name="OpinionSms",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("key", models.CharField(max_length=120, unique=True)),
                ("text", models.CharField(max_length=200, verbose_name="短信内容")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "sent_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="发送时间"
                    ),
                ),
                (
                    "opinion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="text_messages",
                        to="stations.opinion",
                    ),
                ),
            ],
            options={
                "verbose_name": "群众意见短信",
                "verbose_name_plural": "群众意见短信",
            },
        ),
    ]
