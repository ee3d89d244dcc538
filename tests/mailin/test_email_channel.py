"""Email as a support channel, end to end against a real IMAP server (Dovecot): the tests
put messages in the mailbox over IMAP APPEND, as a mail server delivers them, and the
portal polls, stores and processes them."""

from email.utils import parseaddr

import pytest

from accounts.models import User
from mailin import services, tasks
from mailin.fetching import FAILED_FOLDER, PROCESSED_FOLDER
from mailin.models import InboundEmail
from tests.factories import make_user, pdf_bytes, raw_email
from tickets import services as ticket_services
from tickets.models import Category, Priority, Ticket, TicketMessage

pytestmark = pytest.mark.django_db

QUOTED = """Thanks, the mailbox works again.

On Tue, 1 Dec 2026 at 10:00, Support Portal <support@example.com> wrote:
> Hello Olga,
> please try to sign in again.
"""


@pytest.fixture
def poll(dovecot, django_capture_on_commit_callbacks):
    """One run of the beat job, with everything it queues done before it returns."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.poll_mailboxes()

    return run


@pytest.fixture
def ticket(owner, agent, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_services.ticket_create(
            requester=owner,
            subject="Mailbox is full",
            description="I cannot receive mail.",
            category=Category.objects.get(name="Email"),
            priority=Priority.NORMAL,
        )
        ticket_services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
        ticket_services.ticket_reply_as_agent(
            ticket=ticket, agent=agent, body="Please try to sign in again."
        )
    return Ticket.objects.get(pk=ticket.pk)


def _notification(mailoutbox, to: str, reference: str):
    return [m for m in mailoutbox if m.to == [to] and reference in m.subject][-1]


def _customer_messages(ticket: Ticket) -> list[str]:
    return list(
        ticket.messages.filter(from_staff=False, is_internal=False).values_list("body", flat=True)
    )


def _refusals(mailoutbox) -> list:
    return [m for m in mailoutbox if "not added to a request" in m.subject]


def test_a_reply_from_a_mail_client_joins_its_request_without_the_quoted_text(
    ticket, owner, agent, dovecot, poll, mailoutbox
):
    assert ticket.response_due_at is None  # the agent's answer stopped the clock
    notification = _notification(mailoutbox, owner.email, ticket.reference)
    reply_to = notification.reply_to[0]
    assert reply_to.startswith(f"support+{ticket.reference}.")
    assert reply_to.endswith("@reply.example.com")
    mailoutbox.clear()

    dovecot.deliver(
        raw_email(
            sender=f"Olga Owner <{owner.email.upper()}>",
            to=reply_to,
            subject=f"Re: {notification.subject}",
            body=QUOTED,
            headers={"In-Reply-To": notification.extra_headers["Message-ID"]},
        )
    )
    poll()

    ticket.refresh_from_db()
    assert _customer_messages(ticket)[-1] == "Thanks, the mailbox works again."
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.response_due_at is not None  # the SLA clock runs again
    (alert,) = [m for m in mailoutbox if m.to == [agent.email]]
    assert "Thanks, the mailbox works again." in alert.body
    assert "please try to sign in again" not in alert.body
    assert not _refusals(mailoutbox)
    assert dovecot.count("INBOX") == 0
    assert dovecot.count(PROCESSED_FOLDER) == 1
    inbound = InboundEmail.objects.get()
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.PROCESSED, ticket)


def test_notifications_are_threaded_by_message_id(ticket, owner, mailoutbox):
    created, reply = [m for m in mailoutbox if m.to == [owner.email]]
    root = created.extra_headers["Message-ID"]
    assert root == f"<{ticket.reference}@reply.example.com>"
    assert reply.extra_headers["In-Reply-To"] == root
    assert reply.extra_headers["References"] == root
    assert reply.extra_headers["Message-ID"] != root


def test_a_reply_found_by_in_reply_to_or_subject_joins_its_request(ticket, owner, dovecot, poll):
    dovecot.deliver(
        raw_email(
            sender=owner.email,
            to="support@example.com",
            subject="Re: your answer",
            body="By In-Reply-To.",
            headers={"In-Reply-To": f"<{ticket.reference}@reply.example.com>"},
        )
    )
    dovecot.deliver(
        raw_email(
            sender=owner.email,
            to="support@example.com",
            subject=f"Re: [{ticket.reference}] Mailbox is full",
            body="By the subject.",
        )
    )
    poll()
    assert _customer_messages(ticket)[-2:] == ["By In-Reply-To.", "By the subject."]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Reply-To": "olga.owner@example.com"}, {"Sender": "olga.owner@example.com"}],
    ids=["stranger", "spoofed-reply-to", "spoofed-sender"],
)
def test_a_stranger_gets_one_polite_refusal_a_day_and_adds_nothing(
    ticket, owner, dovecot, poll, mailoutbox, headers
):
    reply_to = _notification(mailoutbox, owner.email, ticket.reference).reply_to[0]
    mailoutbox.clear()
    for number in range(2):
        dovecot.deliver(
            raw_email(
                sender="colleague@elsewhere.example",
                to=reply_to,
                subject=f"Fwd: please look {number}",
                body="Forwarded from my colleague.",
                headers=headers,
            )
        )
    poll()

    assert _customer_messages(ticket) == ["I cannot receive mail."]
    (refusal,) = _refusals(mailoutbox)
    assert refusal.to == ["colleague@elsewhere.example"]
    assert "registered" in refusal.body
    # The sender is unknown: English and Greek.
    assert "Λάβαμε το email σας" in refusal.body
    assert (
        refusal.subject
        == "Your email was not added to a request / Το email σας δεν προστέθηκε σε αίτημα"
    )
    assert refusal.extra_headers["Auto-Submitted"] == "auto-replied"
    assert set(InboundEmail.objects.values_list("status", flat=True)) == {"refused"}


def test_a_customer_writing_with_another_customers_reference_adds_nothing(
    ticket, other_owner, dovecot, poll, mailoutbox
):
    mailoutbox.clear()
    dovecot.deliver(
        raw_email(
            sender=other_owner.email,
            to="support@example.com",
            subject=f"Re: [{ticket.reference}] Mailbox is full",
            body="Let me in.",
        )
    )
    poll()
    assert _customer_messages(ticket) == ["I cannot receive mail."]
    assert not Ticket.objects.filter(customer=other_owner.customer).exists()
    (refusal,) = _refusals(mailoutbox)
    assert refusal.to == [other_owner.email]
    inbound = InboundEmail.objects.get()
    assert inbound.status == InboundEmail.Status.REFUSED
    assert ticket.reference in inbound.reason


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.example.net>"},
        {"Return-Path": "<>"},
    ],
    ids=["auto-submitted", "precedence", "list-id", "null-sender"],
)
def test_automatic_mail_is_never_answered(dovecot, poll, mailoutbox, headers, db):
    dovecot.deliver(
        raw_email(
            sender="robot@elsewhere.example",
            to="support@example.com",
            subject="Out of office",
            body="I am away.",
            headers=headers,
        )
    )
    poll()
    assert mailoutbox == []
    assert InboundEmail.objects.get().status == InboundEmail.Status.IGNORED


BOUNCE = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: support@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; olga.owner@example.com
Action: failed
Status: 5.1.1

--B--
"""


def test_a_bounce_is_shown_to_staff_and_not_answered(dovecot, poll, mailoutbox, owner):
    dovecot.deliver(BOUNCE)
    poll()
    assert mailoutbox == []
    inbound = InboundEmail.objects.get()
    assert inbound.status == InboundEmail.Status.BOUNCE
    assert "olga.owner@example.com" in inbound.reason
    owner.refresh_from_db()
    assert owner.email_bounced_at is not None


def test_a_mail_loop_with_an_auto_responder_ends_after_one_message(dovecot, poll, mailoutbox, db):
    # A careless auto-responder answers everything, without Auto-Submitted.
    dovecot.deliver(raw_email(sender="robot@elsewhere.example", to="support@example.com"))
    for _round in range(3):
        poll()
        for answer in list(mailoutbox):
            mailoutbox.remove(answer)
            dovecot.deliver(
                raw_email(
                    sender=answer.to[0],
                    to=parseaddr(answer.from_email)[1],
                    subject=f"Re: {answer.subject}",
                )
            )
    assert InboundEmail.objects.count() == 2
    assert dovecot.count("INBOX") == 0


def test_a_duplicate_delivery_is_processed_once(ticket, owner, dovecot, poll):
    raw = raw_email(
        sender=owner.email,
        to="support@example.com",
        subject=f"Re: [{ticket.reference}]",
        body="Only once.",
        message_id="<same@client.example.net>",
    )
    dovecot.deliver(raw)
    dovecot.deliver(raw)
    poll()
    dovecot.deliver(raw)
    poll()
    assert _customer_messages(ticket).count("Only once.") == 1
    assert InboundEmail.objects.count() == 1
    assert dovecot.count(PROCESSED_FOLDER) == 3


def test_a_worker_that_dies_mid_processing_leaves_the_email_to_be_processed_once(
    ticket, owner, dovecot, poll, monkeypatch
):
    dovecot.deliver(
        raw_email(
            sender=owner.email,
            to="support@example.com",
            subject=f"Re: [{ticket.reference}]",
            body="Processed once.",
        )
    )

    def killed(**kwargs):
        TicketMessage.objects.create(ticket=ticket, author=owner, body="half-done work")
        raise SystemExit("worker killed")

    monkeypatch.setattr(services.ticket_services, "ticket_reply_as_customer", killed)
    with pytest.raises(SystemExit):
        poll()
    monkeypatch.undo()

    inbound = InboundEmail.objects.get()
    assert inbound.status == InboundEmail.Status.RECEIVED
    assert "half-done work" not in _customer_messages(ticket)
    # The next beat run finds it waiting long enough, and processes it, once.
    InboundEmail.objects.filter(pk=inbound.pk).update(
        received_at=inbound.received_at.replace(year=inbound.received_at.year - 1)
    )
    poll()
    poll()
    tasks.process_inbound_email(inbound.pk)
    assert _customer_messages(ticket).count("Processed once.") == 1
    assert InboundEmail.objects.get().status == InboundEmail.Status.PROCESSED


def test_greek_windows_1253_email_with_an_attachment_opens_a_request(
    owner, dovecot, poll, mailoutbox
):
    dovecot.deliver(
        raw_email(
            sender=owner.email,
            to="support@example.com",
            subject="Πρόβλημα με το email",
            body="Καλημέρα, δεν λαμβάνω μηνύματα.",
            charset="windows-1253",
            files=(("σφάλμα.pdf", pdf_bytes()),),
        )
    )
    poll()

    ticket = Ticket.objects.get()
    assert ticket.subject == "Πρόβλημα με το email"
    assert ticket.category.name == "Email"
    assert ticket.priority == Priority.NORMAL
    assert ticket.requester == owner
    assert _customer_messages(ticket) == ["Καλημέρα, δεν λαμβάνω μηνύματα."]
    (attachment,) = ticket.attachments.all()
    assert (attachment.name, attachment.content_type) == ("σφάλμα.pdf", "application/pdf")
    acknowledgement = _notification(mailoutbox, owner.email, ticket.reference)
    assert acknowledgement.reply_to[0].startswith(f"support+{ticket.reference}.")
    assert InboundEmail.objects.get().opened_ticket


def test_refused_attachments_are_listed_in_an_internal_note(owner, dovecot, poll, settings):
    settings.TICKETS_ATTACHMENT_MAX_BYTES = 1000
    settings.TICKETS_ATTACHMENTS_PER_MESSAGE = 1
    dovecot.deliver(
        raw_email(
            sender=owner.email,
            to="support@example.com",
            subject="Logs",
            body="Here are the logs.",
            files=(
                ("big.pdf", pdf_bytes() + b"%" * 2000),
                ("run.exe", b"MZ\x90\x00"),
                ("one.pdf", pdf_bytes()),
                ("two.pdf", pdf_bytes()),
            ),
        )
    )
    poll()
    ticket = Ticket.objects.get()
    assert [a.name for a in ticket.attachments.all()] == ["one.pdf"]
    (note,) = ticket.messages.filter(is_internal=True)
    assert "big.pdf is too large" in note.body
    assert "run.exe cannot be attached" in note.body
    assert "two.pdf: at most 1 file is accepted" in note.body
    assert not ticket.messages.filter(is_internal=False, body__contains="big.pdf").exists()


def test_html_only_email_is_kept_as_text(owner, dovecot, poll):
    dovecot.deliver(
        raw_email(
            sender=owner.email,
            to="support@example.com",
            subject="HTML",
            body="<p>Hello <b>team</b></p><script>alert(1)</script>",
            html=True,
        )
    )
    poll()
    (body,) = _customer_messages(Ticket.objects.get())
    assert "<" not in body
    assert "Hello **team**" in body


def test_past_twenty_emails_an_hour_a_sender_is_throttled(owner, dovecot, poll, mailoutbox):
    for number in range(21):
        dovecot.deliver(
            raw_email(sender=owner.email, to="support@example.com", subject=f"Spam {number}")
        )
    poll()
    assert Ticket.objects.count() == 20
    assert InboundEmail.objects.filter(status=InboundEmail.Status.THROTTLED).count() == 1


def test_a_member_without_see_all_cannot_reply_to_the_owners_request(
    ticket, member, dovecot, poll, mailoutbox
):
    dovecot.deliver(
        raw_email(
            sender=member.email,
            to="support@example.com",
            subject=f"Re: [{ticket.reference}]",
            body="Me too.",
        )
    )
    poll()
    assert "Me too." not in _customer_messages(ticket)
    assert InboundEmail.objects.get().status == InboundEmail.Status.REFUSED


def test_a_message_that_cannot_be_stored_goes_to_the_failed_folder(dovecot, poll, monkeypatch, db):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "inbound_email_store", broken)
    dovecot.deliver(raw_email(sender="someone@example.net", to="support@example.com"))
    poll()
    assert dovecot.count(FAILED_FOLDER) == 1
    assert dovecot.count("INBOX") == 0


def test_staff_assign_a_refused_email_to_a_customer_login(
    owner, supervisor, dovecot, poll, mailoutbox
):
    dovecot.deliver(
        raw_email(sender="olga.private@home.example", to="support@example.com", body="Hi")
    )
    poll()
    inbound = InboundEmail.objects.get()
    assert inbound.status == InboundEmail.Status.REFUSED
    services.inbound_email_assign(inbound=inbound, acting_user=supervisor, customer_user=owner)
    inbound.refresh_from_db()
    assert inbound.status == InboundEmail.Status.PROCESSED
    assert (inbound.assigned_by, inbound.assigned_to) == (supervisor, owner)
    assert inbound.ticket.requester == owner


def test_a_login_registered_with_the_address_in_another_case_is_recognised(dovecot, poll, customer):
    user = make_user("vera", customer=customer, role=User.Role.OWNER, email="Vera@Example.com")
    dovecot.deliver(raw_email(sender="vera@EXAMPLE.com", to="support@example.com"))
    poll()
    assert Ticket.objects.get().requester == user
