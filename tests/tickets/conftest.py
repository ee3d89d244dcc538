"""Fixtures of the tickets tests: private files in a temporary folder, real small files
of each type, and tickets opened through the service."""

import pytest

from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, Priority, SlaPolicy


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_categories_and_policies(request):
    """The data migration installs these, but a transactional test (the browser tests)
    flushes the database it leaves behind."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        install_defaults(Category, SlaPolicy)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(name="Bug")


@pytest.fixture
def open_ticket(owner, category):
    def make(
        requester=None, subject="The mail server rejects our messages", priority=Priority.NORMAL
    ):
        return services.ticket_create(
            requester=requester or owner,
            subject=subject,
            description="Since this morning every message bounces.",
            category=category,
            priority=priority,
        )

    return make


@pytest.fixture
def eager_retries():
    """Let in-process tasks retry and fail on their own as on a worker, instead of raising
    into the task that enqueued them (as tests/supportpin/conftest.py does)."""
    from portal.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
