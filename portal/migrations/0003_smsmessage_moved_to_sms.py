"""SmsMessage now belongs to the sms app (sms/migrations/0001_initial.py), which keeps
its table and rows: here it leaves the portal's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_alter_smsmessage_status"),
        ("sms", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SmsMessage")],
            database_operations=[],
        ),
    ]
