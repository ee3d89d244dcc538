"""`manage.py move_private_files --to s3|local` moves every private file between the
folder and the bucket under the same name, checked by SHA-256, and can be run again after
an interruption."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.storage import private_storage_settings
from tests.factories import png_bytes, upload
from tickets.models import Attachment

pytestmark = pytest.mark.django_db


def bucket_files(s3, bucket: str, prefix: str) -> dict[str, bytes]:
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        o["Key"].removeprefix(f"{prefix}/"): s3.get_object(Bucket=bucket, Key=o["Key"])[
            "Body"
        ].read()
        for o in listing
    }


def folder_files(root) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def move(to: str) -> str:
    out = io.StringIO()
    call_command("move_private_files", to=to, stdout=out)
    return out.getvalue()


def test_files_move_to_the_bucket_and_back_and_still_download(
    s3_bucket, owner_client, other_client, ticket, settings
):
    s3, bucket, prefix = s3_bucket
    root = settings.PRIVATE_MEDIA_ROOT
    owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "see", "attachments": [upload("a.png", png_bytes()), upload("b.txt", b"hi\n")]},
    )
    before = folder_files(root)
    assert len(before) == 3  # two files and a thumbnail

    assert "Moved 3 files to the bucket; 0 already there" in move("s3")
    assert bucket_files(s3, bucket, prefix) == before
    assert folder_files(root) == {}

    private = private_storage_settings(settings.PRIVATE_STORAGE_URL)
    settings.STORAGES = {**settings.STORAGES, "private": private}
    text = Attachment.objects.get(name="b.txt")
    url = reverse("tickets:attachment", args=[text.pk])
    assert b"".join(owner_client.get(url).streaming_content) == b"hi\n"
    assert other_client.get(url).status_code == 404

    assert "Moved 3 files to the folder" in move("local")
    assert folder_files(root) == before
    assert bucket_files(s3, bucket, prefix) == {}


def test_a_second_run_finishes_what_an_interrupted_one_left(s3_bucket, settings):
    s3, bucket, prefix = s3_bucket
    root = settings.PRIVATE_MEDIA_ROOT
    (root / "tickets" / "1").mkdir(parents=True)
    (root / "tickets" / "1" / "copied.log").write_bytes(b"copied, original not yet deleted\n")
    (root / "tickets" / "1" / "cut-short.log").write_bytes(b"the whole file\n")
    (root / "tickets" / "1" / "not-reached.log").write_bytes(b"not reached\n")
    s3.put_object(
        Bucket=bucket,
        Key=f"{prefix}/tickets/1/copied.log",
        Body=b"copied, original not yet deleted\n",
    )
    s3.put_object(Bucket=bucket, Key=f"{prefix}/tickets/1/cut-short.log", Body=b"the wh")

    assert "Moved 2 files to the bucket; 1 already there" in move("s3")
    assert bucket_files(s3, bucket, prefix) == {
        "tickets/1/copied.log": b"copied, original not yet deleted\n",
        "tickets/1/cut-short.log": b"the whole file\n",
        "tickets/1/not-reached.log": b"not reached\n",
    }
    assert folder_files(root) == {}
    assert "Moved 0 files" in move("s3")


def test_without_a_bucket_named_nothing_moves(settings, tmp_path):
    settings.PRIVATE_STORAGE_URL = ""
    with pytest.raises(CommandError, match="PRIVATE_STORAGE_URL is not set"):
        move("s3")
