"""With PRIVATE_STORAGE_URL set, the kept uploads, the sweep of files no row names and the
"Download my data" ZIP work on the bucket as they do on the folder."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer
from accounts.privacy import services as privacy
from accounts.privacy import tasks as privacy_tasks
from accounts.privacy.models import DataExport
from portal.files import private_orphans_purge
from tests.factories import make_invoice, pdf_bytes, png_bytes, upload
from tickets import tasks
from tickets.models import Attachment, Category, PendingUpload, Ticket

pytestmark = pytest.mark.django_db


def keys(s3, bucket: str) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


def new_request(**overrides):
    return {
        "subject": "Website down",
        "category": Category.objects.get(name="Bug").pk,
        "priority": "3",
        "description": "Nothing loads since 10:00.",
        **overrides,
    }


def test_a_kept_upload_waits_in_the_bucket_and_becomes_the_attachment(
    private_bucket, owner_client, ticket
):
    s3, bucket, prefix = private_bucket
    image = png_bytes()
    response = owner_client.post(
        reverse("tickets:create"), new_request(subject="", attachments=[upload("a.png", image)])
    )
    token = response.context["form"].kept_items[0][0]
    pending = PendingUpload.objects.get()
    assert keys(s3, bucket) == {f"{prefix}/{pending.file.name}"}

    assert (
        owner_client.post(reverse("tickets:create"), new_request(kept_upload=[token])).status_code
        == 302
    )
    attachment = Attachment.objects.get(ticket=Ticket.objects.latest("pk"))
    assert keys(s3, bucket) == {
        f"{prefix}/{attachment.file.name}",
        f"{prefix}/{attachment.thumbnail.name}",
    }
    body = s3.get_object(Bucket=bucket, Key=f"{prefix}/{attachment.file.name}")["Body"].read()
    assert body == image


def test_kept_uploads_past_their_hours_leave_the_bucket(
    private_bucket, owner_client, ticket, settings, django_capture_on_commit_callbacks
):
    s3, bucket, prefix = private_bucket
    owner_client.post(
        reverse("tickets:create"),
        new_request(subject="", attachments=[upload("a.png", png_bytes())]),
    )
    hours = settings.TICKETS_KEPT_UPLOAD_HOURS
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(hours=hours, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_pending_uploads.delay().get() == 1
    assert keys(s3, bucket) == set()


def test_objects_no_row_names_are_swept_once_old_and_named_ones_stay(
    private_bucket, owner_client, ticket
):
    s3, bucket, prefix = private_bucket
    owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "see", "attachments": [upload("a.png", png_bytes())]},
    )
    attachment = Attachment.objects.get()
    orphan = f"{prefix}/tickets/{ticket.pk}/killed-mid-request.png"
    s3.put_object(Bucket=bucket, Key=orphan, Body=png_bytes())
    named = {f"{prefix}/{attachment.file.name}", f"{prefix}/{attachment.thumbnail.name}"}
    # Outside the prefix: not the portal's.
    s3.put_object(Bucket=bucket, Key="elsewhere/keep.txt", Body=b"not ours")

    # Too young: an upload whose request may still be running.
    assert private_orphans_purge(older_than=timezone.now() - timedelta(hours=1)) == 0
    assert orphan in keys(s3, bucket)

    assert private_orphans_purge(older_than=timezone.now() + timedelta(minutes=1)) == 1
    assert keys(s3, bucket) == named | {"elsewhere/keep.txt"}


def test_the_data_export_is_built_in_the_bucket_downloaded_and_expired(
    private_bucket, owner, owner_client, other_client, ticket, django_capture_on_commit_callbacks
):
    s3, bucket, prefix = private_bucket
    log = b"[error] the mail server refused\n"
    owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "see", "attachments": [upload("mail.log", log, "text/plain")]},
    )
    export = privacy.data_export_request(user=owner)
    privacy.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    key = f"{prefix}/exports/{export.token}.zip"
    assert export.file.name == f"exports/{export.token}.zip"
    stored = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert export.size == len(stored)
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        assert log in [archive.read(name) for name in archive.namelist()]

    link = reverse("accounts:privacy_export_download", args=[export.token])
    response = owner_client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert other_client.get(link).status_code == 404

    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_tasks.expire_data_exports() == 1
    assert key not in keys(s3, bucket)


def test_an_export_built_again_after_a_crash_replaces_the_first(private_bucket, owner, ticket):
    s3, bucket, prefix = private_bucket
    export = DataExport.objects.create(user=owner)
    key = f"{prefix}/exports/{export.token}.zip"
    s3.put_object(Bucket=bucket, Key=key, Body=b"the ZIP of an attempt that died")
    assert privacy_tasks.build_data_export(export.pk) is True
    export.refresh_from_db()
    assert export.file.name == f"exports/{export.token}.zip"
    assert zipfile.is_zipfile(io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))


def test_invoice_pdfs_are_stored_in_the_bucket_and_served_to_their_customer_only(
    private_bucket, customer, owner_client, other_client
):
    s3, bucket, prefix = private_bucket
    invoice = make_invoice(customer, "2026-0042", issued_on=date(2026, 11, 1))
    key = f"{prefix}/{invoice.pdf.name}"
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == pdf_bytes()

    url = reverse("billing:invoice_pdf", args=[invoice.number])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert other_client.get(url).status_code == 404


def test_a_purged_customers_files_leave_the_bucket(
    private_bucket, owner, owner_client, ticket, settings, django_capture_on_commit_callbacks
):
    s3, bucket, prefix = private_bucket
    owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "see", "attachments": [upload("a.png", png_bytes())]},
    )
    assert len(keys(s3, bucket)) == 2  # the file and its thumbnail
    privacy.customer_close(owner=owner)
    Customer.objects.filter(pk=owner.customer_id).update(
        closed_at=timezone.now() - timedelta(days=settings.DATA_RETENTION_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_tasks.purge_closed_customers() == 1
    assert keys(s3, bucket) == set()
