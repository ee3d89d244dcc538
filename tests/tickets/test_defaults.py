"""The categories and SLA policies a new database starts with (seed 004, README "SLA
defaults"): frozen in migration 0002, installed again from tickets.defaults after a flush."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from tickets import defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("tickets.migrations.0002_categories_and_sla_policies")
email_seed_migration = importlib.import_module("tickets.migrations.0003_sla_channel")


def rows() -> tuple[list[tuple], list[tuple]]:
    categories = list(Category.objects.order_by("position").values_list("position", "name"))
    policies = list(
        SlaPolicy.objects.order_by("channel", "plan", "priority").values_list(
            "channel", "plan", "priority", "response_hours", "calendar"
        )
    )
    return categories, policies


def test_the_migration_installs_the_same_defaults_as_the_demo_and_the_tests():
    Category.objects.all().delete()
    SlaPolicy.objects.all().delete()
    seed_migration.seed(apps, schema_editor=None)
    email_seed_migration.seed(apps, schema_editor=None)
    migrated = rows()
    Category.objects.all().delete()
    SlaPolicy.objects.all().delete()
    defaults.install_defaults(Category, SlaPolicy)
    assert rows() == migrated
    assert len(migrated[0]) == 8
    assert len(migrated[1]) == 30


def test_the_migration_keeps_its_data_when_the_defaults_change_later(monkeypatch):
    Category.objects.all().delete()
    SlaPolicy.objects.all().delete()
    monkeypatch.setattr(defaults, "CATEGORIES", ["Renamed later"])
    monkeypatch.setattr(defaults, "RESPONSE_HOURS", {1: (1, 1, 1)})
    seed_migration.seed(apps, schema_editor=None)
    categories, policies = rows()
    assert [name for _position, name in categories][:2] == ["Question", "Bug"]
    assert not Category.objects.filter(name="Renamed later").exists()
    assert ("portal", "business", 5, Decimal("1.00"), "always") in policies
    assert ("portal", "basic", 1, Decimal("48.00"), "business") in policies
