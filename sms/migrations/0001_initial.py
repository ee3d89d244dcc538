"""The SMS gateway was part of the portal app (portal.SmsMessage): this takes the model
over, with its table and every row in it, by changing Django's state only. The content
type moves too, so permissions given on SMS messages stay given."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label="sms", model="smsmessage").exists():
        content_types.filter(app_label="portal", model="smsmessage").update(app_label="sms")


def move_content_type_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label="portal", model="smsmessage").exists():
        content_types.filter(app_label="sms", model="smsmessage").update(app_label="portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_alter_smsmessage_status"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SmsMessage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("to", models.CharField(max_length=20, verbose_name="to")),
                        ("purpose", models.CharField(choices=[("support_pin", "Support PIN")], max_length=30, verbose_name="purpose")),
                        ("body", models.TextField(blank=True, verbose_name="text (secrets masked)")),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("sending", "Sending"), ("sent", "Sent to the provider"), ("delivered", "Delivered"), ("undelivered", "Not delivered"), ("failed", "Failed"), ("expired", "Expired before sending"), ("unknown", "Outcome unknown")], db_index=True, default="queued", max_length=20, verbose_name="status")),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="requested from")),
                        ("provider_sid", models.CharField(blank=True, max_length=64, verbose_name="provider message ID")),
                        ("error_code", models.CharField(blank=True, max_length=20, verbose_name="error code")),
                        ("error_message", models.CharField(blank=True, max_length=500, verbose_name="error")),
                        ("send_attempts", models.PositiveSmallIntegerField(default=0, verbose_name="send attempts")),
                        ("expires_at", models.DateTimeField(blank=True, null=True, verbose_name="send no later than")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="requested")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                        ("status_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="status changed")),
                        ("requested_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="requested by")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="sms_messages", to=settings.AUTH_USER_MODEL, verbose_name="login")),
                    ],
                    options={
                        "verbose_name": "SMS message",
                        "verbose_name_plural": "SMS messages",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "portal_smsmessage",
                        "indexes": [
                            models.Index(fields=["user", "created_at"], name="portal_smsm_user_id_4ee592_idx"),
                            models.Index(fields=["ip_address", "created_at"], name="portal_smsm_ip_addr_11c1f9_idx"),
                            models.Index(fields=["provider_sid"], name="portal_smsm_provide_3b9ae9_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
