"""With PRIVATE_STORAGE_URL set, a customer's attachment goes to the bucket (read here
with boto3, behind the portal's back), never to the local folder, and comes back only
through the access-checked views."""

import pytest
from django.urls import reverse

from tests.factories import png_bytes, upload
from tickets.models import Attachment

pytestmark = pytest.mark.django_db


def objects(s3, bucket: str) -> dict[str, bytes]:
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing}


def reply_with(client, ticket, *files):
    return client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "see attached", "attachments": list(files)},
    )


def test_an_uploaded_image_and_its_thumbnail_are_stored_in_the_bucket(
    private_bucket, owner_client, ticket, settings
):
    s3, bucket, prefix = private_bucket
    image = png_bytes()
    response = reply_with(owner_client, ticket, upload("screen.png", image))
    assert response.status_code == 302

    attachment = Attachment.objects.get()
    stored = objects(s3, bucket)
    assert stored[f"{prefix}/{attachment.file.name}"] == image
    assert f"{prefix}/{attachment.thumbnail.name}" in stored
    assert stored[f"{prefix}/{attachment.thumbnail.name}"].startswith(b"\x89PNG")
    assert not settings.PRIVATE_MEDIA_ROOT.exists()


def test_the_objects_are_not_readable_without_credentials(private_bucket, owner_client, ticket):
    import urllib.error
    import urllib.request

    s3, bucket, prefix = private_bucket
    reply_with(owner_client, ticket, upload("notes.txt", b"the router password is hunter2\n"))
    attachment = Attachment.objects.get()
    endpoint = s3.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{bucket}/{prefix}/{attachment.file.name}")
    assert refused.value.code == 403


def test_the_file_downloads_through_the_checked_view_and_not_for_another_customer(
    private_bucket, owner_client, other_client, ticket
):
    content = b"[error] AH01071: Got error 'PHP message'\n" * 1000
    reply_with(owner_client, ticket, upload("apache-error.log", content))
    attachment = Attachment.objects.get()
    url = reverse("tickets:attachment", args=[attachment.pk])

    response = owner_client.get(url)
    assert response.status_code == 200  # streamed by the portal, never a redirect
    assert response["Content-Length"] == str(len(content))
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="apache-error.log"'
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    assert other_client.get(url).status_code == 404
    thumbnail = reverse("tickets:attachment_thumbnail", args=[attachment.pk])
    assert other_client.get(thumbnail).status_code == 404


def test_the_thumbnail_comes_from_the_bucket(private_bucket, owner_client, other_client, ticket):
    reply_with(owner_client, ticket, upload("screen.png", png_bytes(size=(800, 600))))
    attachment = Attachment.objects.get()
    url = reverse("tickets:attachment_thumbnail", args=[attachment.pk])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)
    s3, bucket, prefix = private_bucket
    stored = s3.get_object(Bucket=bucket, Key=f"{prefix}/{attachment.thumbnail.name}")
    assert body == stored["Body"].read()
    assert other_client.get(url).status_code == 404
