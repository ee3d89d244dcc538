"""The categories of seed 004 and the SLA policies a new database starts with.

The rows are frozen here as they were when this migration was written: a migration must
install the same data whenever it runs, whatever tickets/defaults.py says by then.
"""

from django.db import migrations

CATEGORIES = [
    "Question",
    "Bug",
    "Error",
    "Suggestion",
    "Billing",
    "Domains and DNS",
    "Hosting",
    "Email",
]

# (plan, priority, response hours, calendar)
SLA_POLICIES = [
    ("basic", 1, 48, "business"),
    ("premium", 1, 24, "business"),
    ("business", 1, 12, "business"),
    ("basic", 2, 48, "business"),
    ("premium", 2, 24, "business"),
    ("business", 2, 12, "business"),
    ("basic", 3, 32, "business"),
    ("premium", 3, 16, "business"),
    ("business", 3, 8, "business"),
    ("basic", 4, 16, "business"),
    ("premium", 4, 8, "business"),
    ("business", 4, 4, "business"),
    ("basic", 5, 24, "always"),
    ("premium", 5, 4, "always"),
    ("business", 5, 1, "always"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("tickets", "Category")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for position, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"position": position})
    for plan, priority, hours, calendar in SLA_POLICIES:
        SlaPolicy.objects.get_or_create(
            plan=plan,
            priority=priority,
            defaults={"response_hours": hours, "calendar": calendar},
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
