"""Every email is a row of the outbox first, written in the transaction of the change it
reports, then sent over SMTP by a task; refusals and outages only delay it."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboundEmail
from outbox.services import (
    email_deliver,
    email_queue,
    outbox_purge,
    outbox_release_worker,
    outbox_sweep,
)
from portal.mail import email_user
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutboundEmail.Status


def queue(to: str = "dana@example.com", subject: str = "T-26-00001") -> OutboundEmail:
    # Outside a transaction, as a worker or a committed request: sent at once (eagerly).
    return email_queue(to=to, subject=subject, text="Hello", template="tests/email")


def reloaded(email: OutboundEmail) -> OutboundEmail:
    return OutboundEmail.objects.get(pk=email.pk)


def later(seconds: int):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_an_email_is_delivered_over_smtp_with_the_message_id_of_its_row(smtp_sink):
    email = queue()

    [message] = smtp_sink.messages
    assert message["To"] == "dana@example.com"
    assert message["Subject"] == "T-26-00001"
    email = reloaded(email)
    assert message["Message-ID"] == email.message_id
    assert email.status == Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_the_text_is_cleared_once_sent_and_the_subject_kept(smtp_sink):
    # It may hold a code or a link that signs in; the record needs only what was sent.
    email = reloaded(queue())

    assert (email.text, email.html) == ("", "")
    assert email.subject == "T-26-00001"


def test_an_email_of_a_rolled_back_change_is_never_sent(smtp_sink, customer):
    user = make_user("dana", customer=customer)

    with pytest.raises(RuntimeError), transaction.atomic():
        email_user(user, "accounts/email/password_changed")
        raise RuntimeError("the change failed")

    assert not OutboundEmail.objects.exists()
    assert smtp_sink.delivered == []


def test_a_temporary_refusal_is_kept_with_the_answer_and_sent_by_the_sweep_later(
    smtp_sink, settings
):
    smtp_sink.temporary_failures = 1
    email = reloaded(queue())

    assert email.status == Status.PENDING
    assert email.last_error.startswith("451")
    assert email.due_at > timezone.now()
    assert outbox_sweep() == 0  # not due yet

    with later(settings.OUTBOX_RETRY_FIRST_SECONDS + 31):
        assert outbox_sweep() == 1

    email = reloaded(email)
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert smtp_sink.attempts == 2
    assert len(smtp_sink.delivered) == 1


def test_refusals_are_retried_further_and_further_apart(smtp_sink, settings):
    smtp_sink.temporary_failures = 3
    email = queue()
    waits = []
    for _ in range(2):
        pending = reloaded(email)
        waits.append(round((pending.due_at - timezone.now()).total_seconds()))
        with time_machine.travel(pending.due_at, tick=False):
            email_deliver(email_id=email.pk)

    assert waits[1] > waits[0] >= settings.OUTBOX_RETRY_FIRST_SECONDS - 1


def test_a_permanent_refusal_fails_with_the_servers_answer_and_is_not_retried(smtp_sink):
    smtp_sink.refused_recipients = {"gone@example.com"}
    email = reloaded(queue(to="gone@example.com"))

    assert email.status == Status.FAILED
    assert email.last_error.startswith("550")
    assert "Mailbox unavailable" in email.last_error
    with later(3600):
        assert outbox_sweep() == 0
    assert smtp_sink.delivered == []


def test_a_refused_recipient_does_not_hold_back_the_others(smtp_sink):
    smtp_sink.refused_recipients = {"gone@example.com"}

    refused = queue(to="gone@example.com")
    taken = queue(to="dana@example.com")

    assert reloaded(refused).status == Status.FAILED
    assert reloaded(taken).status == Status.SENT
    assert smtp_sink.recipients() == ["dana@example.com"]


def test_an_unreachable_server_delays_the_email_until_it_returns_and_sends_it_once(
    smtp_sink, settings
):
    smtp_sink.stop()
    email = reloaded(queue())
    assert email.status == Status.PENDING
    assert email.last_error  # the connection error, for the agent who looks

    smtp_sink.start()
    with later(settings.OUTBOX_RETRY_FIRST_SECONDS + 31):
        outbox_sweep()
        outbox_sweep()  # a second sweep finds nothing more to do

    assert reloaded(email).status == Status.SENT
    assert smtp_sink.recipients() == ["dana@example.com"]


def test_an_email_refused_for_longer_than_the_give_up_time_fails(smtp_sink, settings):
    smtp_sink.stop()
    email = queue()

    with later(settings.OUTBOX_GIVE_UP_HOURS * 3600 + 1):
        email_deliver(email_id=email.pk)

    email = reloaded(email)
    assert email.status == Status.FAILED
    assert email.attempts == 2


def test_an_email_left_sending_by_a_dead_worker_is_sent_again_after_the_lease(smtp_sink, settings):
    smtp_sink.stop()  # nothing goes out while the "worker" holds it
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, claimed_at=timezone.now(), claimed_by="celery@web1"
    )
    smtp_sink.start()

    outbox_sweep()
    assert reloaded(email).status == Status.SENDING  # still within its lease

    with later(settings.OUTBOX_SENDING_LEASE_SECONDS + settings.OUTBOX_REQUEUE_AFTER_SECONDS):
        outbox_sweep()

    assert reloaded(email).status == Status.SENT
    assert len(smtp_sink.delivered) == 1


def test_a_worker_restarted_under_its_name_sends_at_once_what_it_was_sending(smtp_sink):
    smtp_sink.stop()
    mine = queue(to="mine@example.com")
    theirs = queue(to="theirs@example.com")
    OutboundEmail.objects.filter(pk=mine.pk).update(
        status=Status.SENDING, claimed_at=timezone.now(), claimed_by="celery@web1"
    )
    OutboundEmail.objects.filter(pk=theirs.pk).update(
        status=Status.SENDING, claimed_at=timezone.now(), claimed_by="celery@web2"
    )
    smtp_sink.start()

    assert outbox_release_worker(worker="celery@web1") == 1

    assert reloaded(mine).status == Status.SENT
    assert reloaded(theirs).status == Status.SENDING
    assert smtp_sink.recipients() == ["mine@example.com"]


def test_a_duplicate_task_does_not_send_an_email_twice(smtp_sink):
    email = queue()

    assert email_deliver(email_id=email.pk) == ""
    assert len(smtp_sink.delivered) == 1


def test_with_the_broker_down_the_email_waits_for_the_sweep(smtp_sink, monkeypatch):
    from kombu.exceptions import OperationalError

    from outbox.tasks import send_outbound_email

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_outbound_email, "apply_async", broker_down)
    email = queue()
    assert reloaded(email).status == Status.PENDING
    assert smtp_sink.delivered == []

    monkeypatch.undo()
    with later(31):
        assert outbox_sweep() == 1
    assert reloaded(email).status == Status.SENT


def test_sent_and_failed_emails_are_purged_after_the_keeping_time(smtp_sink, settings):
    smtp_sink.refused_recipients = {"gone@example.com"}
    queue()
    queue(to="gone@example.com")
    smtp_sink.stop()
    pending = queue(to="later@example.com")

    with later(settings.OUTBOX_KEEP_DAYS * 86400 + 1):
        assert outbox_purge() == 2

    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [pending.pk]


def test_agents_see_the_outbox_with_the_servers_answer_but_not_the_text(
    smtp_sink, supervisor_client
):
    smtp_sink.refused_recipients = {"gone@example.com"}
    failed = queue(to="gone@example.com", subject="Your login code")
    client = supervisor_client

    listing = client.get(reverse("admin:outbox_outboundemail_changelist"))
    page = client.get(reverse("admin:outbox_outboundemail_change", args=[failed.pk]))

    assert "gone@example.com" in listing.text
    assert "Mailbox unavailable" in listing.text
    assert "Your login code" in page.text
    assert "Hello" not in page.text


def test_send_again_puts_a_failed_email_back_and_it_goes_out(smtp_sink, supervisor_client):
    smtp_sink.refused_recipients = {"dana@example.com"}
    failed = queue(to="dana@example.com")
    sent = queue(to="other@example.com")
    smtp_sink.refused_recipients = set()  # the mailbox was fixed
    client = supervisor_client

    response = client.post(
        reverse("admin:outbox_outboundemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert "1 email will be sent again." in response.text
    assert "1 email was not failed and was left as it is." in response.text
    assert reloaded(failed).status == Status.SENT
    assert smtp_sink.recipients() == ["other@example.com", "dana@example.com"]
