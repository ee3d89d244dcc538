import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from tests.factories import png_bytes, upload
from tickets import services, tasks
from tickets.attachments import check_upload
from tickets.models import (
    CalendarException,
    Category,
    PendingUpload,
    SlaPolicy,
    Ticket,
    TicketEvent,
)
from tickets.sla import ATHENS

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=0, minute=0):
    return time_machine.travel(datetime(year, month, day, hour, minute, tzinfo=ATHENS), tick=False)


def athens(*args):
    return datetime(*args, tzinfo=ATHENS)


def kinds(ticket):
    return list(ticket.events.values_list("kind", flat=True))


def test_references_are_numbered_per_year_in_athens_time(open_ticket):
    with at(2025, 12, 31, 23, 30):
        first, second = open_ticket(), open_ticket()
    with at(2026, 1, 1, 0, 30):
        third = open_ticket()
    assert (first.reference, second.reference) == ("T-25-00001", "T-25-00002")
    assert third.reference == "T-26-00001"


def test_a_new_request_is_owed_an_answer_within_the_plans_business_hours(open_ticket):
    # Premium, Normal: 24 business hours from Monday 10:00 (8 + 9 + 7 hours).
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    assert ticket.status == Ticket.Status.NEW
    assert ticket.response_due_at == athens(2025, 9, 3, 16)


def test_a_critical_request_is_owed_an_answer_around_the_clock(open_ticket):
    with at(2025, 9, 5, 20):
        ticket = open_ticket(priority=5)
    assert ticket.response_due_at == athens(2025, 9, 6, 0)


def test_a_supervisors_policy_and_closed_day_are_honoured(open_ticket):
    SlaPolicy.objects.filter(plan="premium", priority=2).update(response_hours=2)
    CalendarException.objects.create(day=date(2025, 9, 2), reason="Staff training")
    with at(2025, 9, 1, 17):
        ticket = open_ticket()
    assert ticket.response_due_at == athens(2025, 9, 3, 10)


def test_opening_a_request_records_who_and_emails_the_reference_to_the_registered_address(
    open_ticket, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket()
    assert kinds(ticket) == [TicketEvent.Kind.CREATED]
    assert ticket.events.get().actor == owner
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert mail.subject.startswith(f"[{ticket.reference}]")
    assert ticket.reference in mail.body
    assert mail.alternatives[0][1] == "text/html"


def test_an_answer_in_time_is_recorded_as_met_and_the_ticket_then_waits_on_the_customer(
    open_ticket, agent, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 1, 11), django_capture_on_commit_callbacks(execute=True):
        message = services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Fixed it.")
    ticket.refresh_from_db()
    assert message.sla_met is True
    assert ticket.status == Ticket.Status.WAITING
    assert ticket.response_due_at is None
    assert ticket.first_response_at == athens(2025, 9, 1, 11)
    assert TicketEvent.Kind.SLA_MET in kinds(ticket)
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "Fixed it." in mail.body
    assert mail.subject.startswith(f"[{ticket.reference}]")


def test_a_late_answer_is_recorded_as_breached(open_ticket, agent):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 4, 10):
        message = services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Sorry.")
    ticket.refresh_from_db()
    assert message.sla_met is False
    assert ticket.sla_breached
    assert TicketEvent.Kind.SLA_BREACHED in kinds(ticket)


def test_an_agent_resolving_late_without_a_reply_is_still_recorded_as_breached(open_ticket, agent):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 4, 10):
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    ticket.refresh_from_db()
    assert ticket.response_due_at is None
    assert ticket.sla_breached
    assert TicketEvent.Kind.SLA_BREACHED in kinds(ticket)


def test_an_agent_parking_a_ticket_in_time_without_a_reply_is_recorded_as_met(open_ticket, agent):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 1, 11):
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="waiting")
    ticket.refresh_from_db()
    assert not ticket.sla_breached
    assert TicketEvent.Kind.SLA_MET in kinds(ticket)


def test_a_customer_closing_their_request_leaves_no_sla_outcome(open_ticket, owner):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 4, 10):
        services.ticket_close(ticket=ticket, acting_user=owner)
    ticket.refresh_from_db()
    assert ticket.response_due_at is None
    assert not ticket.sla_breached
    assert not {TicketEvent.Kind.SLA_MET, TicketEvent.Kind.SLA_BREACHED} & set(kinds(ticket))


def test_a_customer_message_reopens_a_waiting_ticket_and_restarts_the_clock(
    open_ticket, agent, owner
):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 1, 11):
        services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Which domain?")
    with at(2025, 9, 5, 17):
        services.ticket_reply_as_customer(ticket=ticket, author=owner, body="example.gr")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.awaiting_response_since == athens(2025, 9, 5, 17)
    # 1 hour on Friday, 9 on Monday, 9 on Tuesday, 5 on Wednesday.
    assert ticket.response_due_at == athens(2025, 9, 10, 14)


def test_a_second_customer_message_keeps_the_due_time_of_the_first(open_ticket, owner):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    due = ticket.response_due_at
    with at(2025, 9, 2, 10):
        services.ticket_reply_as_customer(ticket=ticket, author=owner, body="Any news?")
    ticket.refresh_from_db()
    assert ticket.response_due_at == due


def test_an_internal_note_is_not_emailed_and_leaves_the_clock_running(
    open_ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.ticket_reply_as_agent(
            ticket=ticket, agent=agent, body="Customer is on the old server.", internal=True
        )
    ticket.refresh_from_db()
    assert message.is_internal
    assert ticket.response_due_at is not None
    assert ticket.status == Ticket.Status.NEW
    assert mailoutbox == []
    assert TicketEvent.Kind.NOTE_ADDED in kinds(ticket)


def test_raising_the_priority_moves_the_due_time_counted_from_the_start_of_the_wait(
    open_ticket, agent, category
):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
    with at(2025, 9, 1, 11):
        services.ticket_update(
            ticket=ticket,
            acting_user=agent,
            status=ticket.status,
            priority=5,
            category=category,
            assignee=agent,
        )
    ticket.refresh_from_db()
    assert ticket.response_due_at == athens(2025, 9, 1, 14)
    assert ticket.assignee == agent
    history = ticket.events.filter(kind=TicketEvent.Kind.PRIORITY_CHANGED).get()
    assert (history.old_value, history.new_value, history.actor) == ("2", "5", agent)
    assert TicketEvent.Kind.ASSIGNEE_CHANGED in kinds(ticket)


def test_only_a_resolved_ticket_can_be_reopened_and_the_clock_then_runs(open_ticket, owner, agent):
    ticket = open_ticket()
    with pytest.raises(services.TicketNotOpen):
        services.ticket_reopen(ticket=ticket, acting_user=owner)
    services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    ticket.refresh_from_db()
    assert ticket.response_due_at is None
    services.ticket_reopen(ticket=ticket, acting_user=owner)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.response_due_at is not None


def test_a_closed_ticket_takes_no_more_messages(open_ticket, owner):
    ticket = open_ticket()
    services.ticket_close(ticket=ticket, acting_user=owner)
    with pytest.raises(services.TicketNotOpen):
        services.ticket_reply_as_customer(ticket=ticket, author=owner, body="One more thing")


def test_a_status_change_by_an_agent_is_emailed_to_the_customer(
    open_ticket, agent, owner, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert ticket.reference in mail.subject
    assert "Resolved" in mail.subject


def test_a_ticket_resolved_seven_days_ago_closes_itself_and_the_customer_is_told(
    open_ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        stale, recent = open_ticket(), open_ticket()
        services.ticket_status_change(ticket=stale, acting_user=agent, status="resolved")
    with at(2025, 9, 5, 10):
        services.ticket_status_change(ticket=recent, acting_user=agent, status="resolved")
    mailoutbox.clear()
    with at(2025, 9, 8, 10, 1), django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_resolved_tickets.delay().get() == 1
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == Ticket.Status.CLOSED
    assert recent.status == Ticket.Status.RESOLVED
    assert stale.events.filter(kind="status_changed", new_value="closed", actor=None).exists()
    [mail] = mailoutbox
    assert stale.reference in mail.subject


def test_agents_are_warned_once_before_an_answer_falls_due(
    open_ticket, agent, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        ticket = open_ticket(priority=5)  # due at 14:00
    mailoutbox.clear()
    with at(2025, 9, 1, 12), django_capture_on_commit_callbacks(execute=True):
        assert tasks.warn_of_coming_breaches.delay().get() == 0
    with at(2025, 9, 1, 13, 10), django_capture_on_commit_callbacks(execute=True):
        assert tasks.warn_of_coming_breaches.delay().get() == 1
        assert tasks.warn_of_coming_breaches.delay().get() == 0
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([agent.email, supervisor.email])
    assert all(ticket.reference in mail.subject for mail in mailoutbox)


def test_the_breach_warning_goes_to_the_assignee_only_when_there_is_one(
    open_ticket, agent, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        ticket = open_ticket(priority=5)
        services.ticket_assign(ticket=ticket, acting_user=supervisor, assignee=agent)
    mailoutbox.clear()
    with at(2025, 9, 1, 13, 30), django_capture_on_commit_callbacks(execute=True):
        tasks.warn_of_coming_breaches.delay()
    assert [mail.to for mail in mailoutbox] == [[agent.email]]


def test_agents_get_one_email_for_all_the_unassigned_requests_falling_due(
    open_ticket, agent, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    """In an outage many requests nobody has taken fall due together: each agent gets one
    email listing them, not one per request; an assigned one goes to its assignee alone."""
    with at(2025, 9, 1, 10):
        outage = [open_ticket(subject=f"Mail down {n}", priority=5) for n in range(4)]
        taken = open_ticket(subject="Taken", priority=5)
        services.ticket_assign(ticket=taken, acting_user=supervisor, assignee=agent)
    mailoutbox.clear()
    with at(2025, 9, 1, 13, 10), django_capture_on_commit_callbacks(execute=True):
        assert tasks.warn_of_coming_breaches.delay().get() == 5
    with at(2025, 9, 1, 13, 15), django_capture_on_commit_callbacks(execute=True):
        assert tasks.warn_of_coming_breaches.delay().get() == 0

    digests = [mail for mail in mailoutbox if "nobody is assigned to are due soon" in mail.subject]
    assert sorted(mail.to[0] for mail in digests) == sorted([agent.email, supervisor.email])
    assert digests[0].subject == "4 requests nobody is assigned to are due soon"
    for mail in digests:
        assert all(ticket.reference in mail.body for ticket in outage)
        assert taken.reference not in mail.body
        assert "Nobody is assigned to these 4 requests yet." in mail.body
        assert "/admin/tickets/ticket/?view=unassigned" in mail.body
    [for_assignee] = [mail for mail in mailoutbox if taken.reference in mail.subject]
    assert for_assignee.to == [agent.email]
    assert len(mailoutbox) == 3
    for ticket in outage:
        assert ticket.events.filter(kind="breach_warned", new_value="2").count() == 1


def test_a_request_taken_before_the_warning_is_sent_leaves_the_digest(
    open_ticket, agent, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        first, second = (open_ticket(subject=f"Down {n}", priority=5) for n in range(2))
    services.ticket_assign(ticket=second, acting_user=supervisor, assignee=agent)
    mailoutbox.clear()
    with at(2025, 9, 1, 13, 10), django_capture_on_commit_callbacks(execute=True):
        assert services.tickets_breach_warn_unassigned(ticket_ids=[first.pk, second.pk]) == 1
    assert {mail.subject for mail in mailoutbox} == {f"[{first.reference}] Answer due soon: Down 0"}
    assert second.reference not in mailoutbox[0].body


def test_attachments_are_stored_privately_under_a_random_name_with_a_thumbnail(
    open_ticket, owner, settings
):
    ticket = open_ticket()
    checked = check_upload(upload("my screen.png", png_bytes()))
    message = services.ticket_reply_as_customer(
        ticket=ticket, author=owner, body="See the screenshot", files=[checked]
    )
    [attachment] = message.attachments.all()
    assert attachment.name == "my screen.png"
    assert attachment.content_type == "image/png"
    assert "my screen" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT.resolve()))
    assert attachment.thumbnail


def test_pending_uploads_older_than_a_day_are_purged(owner, django_capture_on_commit_callbacks):
    checked = check_upload(upload("log.txt", b"line one\n"))
    [pending] = services.pending_upload_store(owner=owner, files=[checked]).kept
    path = pending.file.path
    assert services.pending_uploads_purge(older_than=pending.created_at) == 0
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        purged = services.pending_uploads_purge(older_than=pending.created_at + timedelta(days=1))
    assert purged == 1
    assert not PendingUpload.objects.exists()
    assert not os.path.exists(path)


def test_email_subjects_keep_the_subject_as_typed(
    open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(subject="Tom & Jerry's <site> is down")
    [mail] = mailoutbox
    assert mail.subject == f"[{ticket.reference}] Request received: Tom & Jerry's <site> is down"


def test_the_history_reads_in_labels_not_stored_values(open_ticket, agent, category):
    ticket = open_ticket()
    billing = Category.objects.get(name="Billing")
    services.ticket_update(
        ticket=ticket,
        acting_user=agent,
        status="waiting",
        priority=5,
        category=billing,
        assignee=agent,
    )
    shown = {
        event.kind: (event.old_value_display, event.new_value_display)
        for event in ticket.events.all()
    }
    assert shown[TicketEvent.Kind.STATUS_CHANGED] == ("New", "Waiting on customer")
    assert shown[TicketEvent.Kind.PRIORITY_CHANGED] == ("Normal", "Critical")
    assert shown[TicketEvent.Kind.CATEGORY_CHANGED] == ("Bug", "Billing")
    assert shown[TicketEvent.Kind.ASSIGNEE_CHANGED] == ("", "Anna Agent")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway"
)
@pytest.mark.django_db(transaction=True)
def test_tickets_opened_at_the_same_moment_get_different_references(owner, category):
    start = threading.Barrier(8)

    def open_one(index: int) -> str:
        try:
            start.wait()
            return services.ticket_create(
                requester=owner,
                subject=f"Parallel {index}",
                description="d",
                category=category,
                priority=2,
            ).reference
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        references = list(pool.map(open_one, range(8)))
    assert len(set(references)) == 8
    assert sorted(int(reference[-5:]) for reference in references) == list(range(1, 9))


def test_every_email_about_tickets_goes_to_a_logins_registered_address_through_email_user(
    open_ticket, owner, agent, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from portal import mail

    sent_to = []

    def spy(user, template_prefix, **context):
        sent_to.append((user, template_prefix.rsplit("/", 1)[-1]))
        return mail.email_user(user, template_prefix, **context)

    monkeypatch.setattr(services, "email_user", spy)
    with at(2025, 9, 1, 10), django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(priority=5)
        services.ticket_reply_as_customer(ticket=ticket, author=owner, body="Still down")
    with at(2025, 9, 1, 13, 30), django_capture_on_commit_callbacks(execute=True):
        services.ticket_breach_warn(ticket_id=ticket.pk)
        services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Fixed", status="resolved")
    assert sent_to == [(owner, "created"), (agent, "breach_warning"), (owner, "reply")]
    assert [m.to for m in mailoutbox] == [[owner.email], [agent.email], [owner.email]]
