"""Files under PRIVATE_MEDIA_ROOT that no row names (a request killed between saving a
file and committing its row) are deleted by the daily job once they are old enough; files
rows name, and young files that may belong to a request in flight, stay."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.tasks import purge_orphan_files
from tests.factories import png_bytes, upload
from tickets import services
from tickets.attachments import check_upload

pytestmark = pytest.mark.django_db


def aged(path, hours: int) -> None:
    then = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(path, (then, then))


def test_old_files_no_row_names_go_and_the_others_stay(settings, tmp_path, open_ticket, owner):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ticket = open_ticket()
    services.ticket_reply_as_customer(
        ticket=ticket, author=owner, body="see", files=[check_upload(upload("a.png", png_bytes()))]
    )
    attachment = ticket.attachments.get()
    kept = [attachment.file.path, attachment.thumbnail.path]
    orphan_folder = settings.PRIVATE_MEDIA_ROOT / "tickets" / str(ticket.pk)
    old_orphan = orphan_folder / "killed-mid-request.png"
    young_orphan = orphan_folder / "request-in-flight.png"
    for path in (old_orphan, young_orphan):
        path.write_bytes(png_bytes())
    for path in (*kept, old_orphan):
        aged(path, settings.PRIVATE_ORPHAN_FILES_HOURS + 1)

    assert purge_orphan_files.apply().get() == 1

    assert not old_orphan.exists()
    assert young_orphan.exists()
    assert all(os.path.exists(path) for path in kept)
