from django.db import migrations

from tickets.defaults import install_defaults


def seed(apps, schema_editor):
    install_defaults(apps.get_model("tickets", "Category"), apps.get_model("tickets", "SlaPolicy"))


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
