"""Fixtures of the tickets tests: private files in a temporary folder, real small files
of each type, and tickets opened through the service."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="PNG")
    return output.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def zip_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("server.log", "error 500 at 10:02\n")
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


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
