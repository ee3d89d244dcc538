"""What may be attached: judged by content, named honestly, within the size limit."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.factories import pdf_bytes, png_bytes, upload, zip_bytes
from tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 200)).save(output, format="JPEG")
    return output.getvalue()


def big_png_bytes() -> bytes:
    """A few kilobytes that declare 48 million pixels."""
    output = io.BytesIO()
    Image.new("1", (8000, 6000)).save(output, format="PNG")
    return output.getvalue()


def reply_with(client, ticket, *files):
    return client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "see attached", "attachments": list(files)},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("screenshot.png", png_bytes(), "image/png"),
        ("photo.JPG", jpeg_bytes(), "image/jpeg"),
        ("Screenshot 2025-05-01 at 10.15.32.png", png_bytes(), "image/png"),
        ("invoice.pdf", pdf_bytes(), "application/pdf"),
        ("logs.zip", zip_bytes(), "application/zip"),
        ("apache-error.log", b"[error] AH01071: Got error 'PHP message'\n", "text/plain"),
        ("notes.txt", "Ο διακομιστής δεν απαντά\n".encode(), "text/plain"),
    ],
)
def test_images_pdf_text_logs_and_zip_are_accepted(
    owner_client, open_ticket, name, content, content_type
):
    ticket = open_ticket()
    response = reply_with(owner_client, ticket, upload(name, content))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type) == (name, content_type)


@pytest.mark.parametrize(
    ("case", "name", "content"),
    [
        ("HTML named .png", "cat.png", HTML),
        ("SVG named .png", "logo.png", SVG),
        ("SVG as itself", "logo.svg", SVG),
        ("HTML named .txt", "readme.txt", HTML),
        ("double extension, executable last", "invoice.pdf.exe", b"MZ\x90\x00" + b"\x00" * 64),
        ("double extension, script hidden", "shell.php.png", png_bytes()),
        ("PNG named .pdf", "report.pdf", png_bytes()),
        ("PDF named .png", "scan.png", pdf_bytes()),
        ("a Windows program", "setup.zip", b"MZ\x90\x00\x03" + b"\x00" * 200),
        ("no extension", "README", b"plain words\n"),
        ("binary junk named .log", "dump.log", bytes(range(256)) * 4),
        ("a PNG header on garbage", "broken.png", png_bytes()[:24] + b"\x00" * 50),
        ("an empty file", "empty.txt", b""),
        ("HTML behind a byte order mark", "notes.txt", b"\xef\xbb\xbf" + HTML),
        ("a decompression bomb", "bomb.png", big_png_bytes()),
    ],
)
def test_file_type_tricks_are_refused_with_a_clear_message_and_nothing_saved(
    owner_client, open_ticket, case, name, content
):
    ticket = open_ticket()
    response = reply_with(owner_client, ticket, upload(name, content, "image/png"))
    assert response.status_code == 200, case
    errors = response.context["form"].errors["attachments"]
    assert any(name in error for error in errors), (case, errors)
    assert Attachment.objects.count() == 0
    assert ticket.messages.count() == 1
    assert "see attached" in response.text


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(
    owner_client, open_ticket, settings
):
    settings.TICKETS_ATTACHMENT_MAX_BYTES = 1024
    ticket = open_ticket()
    response = reply_with(owner_client, ticket, upload("big.log", b"x" * 2048))
    [error] = response.context["form"].errors["attachments"]
    assert "big.log is too large" in error
    assert "1.0\xa0KB" in error
    assert Attachment.objects.count() == 0


def test_the_default_limit_is_ten_megabytes(owner_client, open_ticket):
    ticket = open_ticket()
    too_big = upload("huge.log", b"a" * (10 * 1024 * 1024 + 1))
    response = reply_with(owner_client, ticket, too_big)
    assert "huge.log is too large" in response.context["form"].errors["attachments"][0]


def test_more_files_than_allowed_are_refused(owner_client, open_ticket, settings):
    settings.TICKETS_ATTACHMENTS_PER_MESSAGE = 2
    ticket = open_ticket()
    files = [upload(f"{n}.log", b"line\n") for n in range(3)]
    response = reply_with(owner_client, ticket, *files)
    assert "At most 2 files" in response.context["form"].errors["attachments"][0]
    assert Attachment.objects.count() == 0


def test_several_files_arrive_on_one_message(owner_client, open_ticket):
    ticket = open_ticket()
    reply_with(owner_client, ticket, upload("a.png", png_bytes()), upload("b.log", b"b\n"))
    assert Ticket.objects.get().messages.last().attachments.count() == 2
