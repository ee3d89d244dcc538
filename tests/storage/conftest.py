"""Fixtures of the object storage tests: the default categories (as tests/tickets has),
and tickets opened through the service."""

import pytest

from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, Priority, SlaPolicy


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def ticket(db, owner):
    install_defaults(Category, SlaPolicy)
    return services.ticket_create(
        requester=owner,
        subject="The mail server rejects our messages",
        description="Since this morning every message bounces.",
        category=Category.objects.get(name="Bug"),
        priority=Priority.NORMAL,
    )
