"""Files kept on the server while a form with errors is corrected: kept for
TICKETS_KEPT_UPLOAD_HOURS, at most TICKETS_KEPT_UPLOAD_MAX_BYTES per login at once."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import png_bytes, upload
from tickets import tasks
from tickets.models import PendingUpload, Ticket
from tickets.sla import ATHENS

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
T0 = datetime(2025, 9, 1, 10, 0, tzinfo=ATHENS)


def log_file(name: str, size: int):
    return upload(name, b"x" * (size - 1) + b"\n", "text/plain")


def new_request(category, **overrides):
    return {
        "subject": "Website down",
        "category": category.pk,
        "priority": "3",
        "description": "Nothing loads since 10:00.",
        **overrides,
    }


def test_the_form_says_how_long_files_are_kept_and_they_are_kept_that_long(
    owner_client, category, settings, django_capture_on_commit_callbacks
):
    settings.TICKETS_KEPT_UPLOAD_HOURS = 2
    with time_machine.travel(T0, tick=False):
        response = owner_client.post(
            reverse("tickets:create"),
            new_request(category, subject="", attachments=[upload("screen.png", png_bytes())]),
        )
        token = response.context["form"].kept_items[0][0]
    assert "They are kept for 2 hours." in response.text

    with time_machine.travel(T0 + timedelta(hours=2, minutes=1), tick=False):
        late = owner_client.post(
            reverse("tickets:create"), new_request(category, kept_upload=[token])
        )
        assert late.status_code == 302
        assert not Ticket.objects.get().attachments.exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.purge_pending_uploads.delay().get() == 1
    assert not PendingUpload.objects.exists()


def test_files_are_still_there_just_before_the_hours_set_run_out(owner_client, category, settings):
    settings.TICKETS_KEPT_UPLOAD_HOURS = 2
    with time_machine.travel(T0, tick=False):
        response = owner_client.post(
            reverse("tickets:create"),
            new_request(category, subject="", attachments=[upload("screen.png", png_bytes())]),
        )
        token = response.context["form"].kept_items[0][0]
    with time_machine.travel(T0 + timedelta(hours=1, minutes=59), tick=False):
        assert tasks.purge_pending_uploads.delay().get() == 0
        owner_client.post(reverse("tickets:create"), new_request(category, kept_upload=[token]))
    assert Ticket.objects.get().attachments.get().name == "screen.png"


def test_files_past_the_quota_of_a_login_are_not_kept_and_the_form_says_so(
    owner_client, category, settings
):
    settings.TICKETS_KEPT_UPLOAD_MAX_BYTES = 1 * MB
    first, second = log_file("first.log", 600 * 1024), log_file("second.log", 600 * 1024)
    response = owner_client.post(
        reverse("tickets:create"),
        new_request(category, subject="", attachments=[first, second]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [kept.name for _token, kept in form.kept_items] == ["first.log"]
    assert form.errors["attachments"] == [
        "Not kept, because the files kept for your unsent forms may take at most 1 MB at "
        "once: second.log. Choose them again when you send the form."
    ]
    # Nothing typed is lost.
    assert "Nothing loads since 10:00." in response.text
    assert PendingUpload.objects.get().name == "first.log"

    # The quota counts what the login already has kept from earlier forms.
    response = owner_client.post(
        reverse("tickets:create"),
        new_request(category, subject="", attachments=[log_file("third.log", 500 * 1024)]),
    )
    assert "third.log. Choose them again" in response.text
    assert PendingUpload.objects.count() == 1


def test_the_quota_is_per_login_and_expired_files_do_not_count(
    owner_client, other_client, category, settings
):
    settings.TICKETS_KEPT_UPLOAD_MAX_BYTES = 1 * MB
    with time_machine.travel(T0, tick=False):
        owner_client.post(
            reverse("tickets:create"),
            new_request(category, subject="", attachments=[log_file("big.log", 900 * 1024)]),
        )
        response = other_client.post(
            reverse("tickets:create"),
            new_request(category, subject="", attachments=[log_file("other.log", 900 * 1024)]),
        )
        assert "Choose them again" not in response.text
    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        response = owner_client.post(
            reverse("tickets:create"),
            new_request(category, subject="", attachments=[log_file("again.log", 900 * 1024)]),
        )
    assert "Choose them again" not in response.text
    assert [kept.name for _token, kept in response.context["form"].kept_items] == ["again.log"]


def test_a_reply_past_the_quota_keeps_the_message_as_typed(owner_client, open_ticket, settings):
    settings.TICKETS_KEPT_UPLOAD_MAX_BYTES = 1 * MB
    ticket = open_ticket()
    response = owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {
            "body": "Here are the logs",
            "attachments": [
                log_file("a.log", 700 * 1024),
                log_file("b.log", 700 * 1024),
                log_file("c.exe", 10),
            ],
        },
    )
    assert response.status_code == 200
    assert "Here are the logs" in response.text
    assert "b.log. Choose them again when you send the form." in response.text
    assert [kept.name for _token, kept in response.context["form"].kept_items] == ["a.log"]
