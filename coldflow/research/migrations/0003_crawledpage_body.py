from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0002_fact_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="crawledpage",
            name="requested_url",
            field=models.URLField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="crawledpage",
            name="body",
            field=models.BinaryField(blank=True, null=True),
        ),
    ]
