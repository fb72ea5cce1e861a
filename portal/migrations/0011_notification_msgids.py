# Issue 18: notification text kept as its untranslated source and parameters.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_organ_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="title_msgid",
            field=models.TextField(blank=True, verbose_name="标题原文"),
        ),
        migrations.AddField(
            model_name="notification",
            name="body_msgid",
            field=models.TextField(blank=True, verbose_name="内容原文"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="文本参数"),
        ),
    ]
