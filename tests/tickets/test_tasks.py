"""The beat jobs of tickets fan out one task per ticket: one ticket that fails is retried
on its own and cannot stop the others."""

from datetime import datetime

import pytest
import time_machine

from tickets import services, tasks
from tickets.models import Ticket
from tickets.sla import ATHENS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_retries")]


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=ATHENS), tick=False)


def failing_for(monkeypatch, name: str, bad_id: int, times: int) -> list[int]:
    """Make services.<name> fail `times` times for ticket `bad_id`; returns the calls."""
    real = getattr(services, name)
    calls: list[int] = []

    def service(*, ticket_id: int) -> bool:
        calls.append(ticket_id)
        if ticket_id == bad_id and calls.count(bad_id) <= times:
            raise RuntimeError("the database refused this row")
        return real(ticket_id=ticket_id)

    monkeypatch.setattr(services, name, service)
    return calls


def test_a_ticket_that_cannot_be_closed_does_not_stop_the_others(
    open_ticket, agent, monkeypatch, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        first, bad, last = open_ticket(), open_ticket(), open_ticket()
        for ticket in (first, bad, last):
            services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    calls = failing_for(monkeypatch, "ticket_auto_close", bad.pk, times=100)
    with at(2025, 9, 8, 10, 1), django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_resolved_tickets.delay().get() == 3
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "closed", bad.pk: "resolved", last.pk: "closed"}
    assert calls.count(bad.pk) == tasks.MAX_RETRIES + 1


def test_a_ticket_that_fails_once_is_closed_on_the_retry(
    open_ticket, agent, monkeypatch, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    calls = failing_for(monkeypatch, "ticket_auto_close", ticket.pk, times=1)
    with at(2025, 9, 8, 10, 1), django_capture_on_commit_callbacks(execute=True):
        tasks.close_resolved_tickets.delay()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    assert calls == [ticket.pk, ticket.pk]


def test_a_ticket_whose_warning_fails_does_not_stop_the_warnings_of_the_others(
    open_ticket, agent, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2025, 9, 1, 10):
        first, bad, last = (open_ticket(subject=f"Down {n}", priority=5) for n in range(3))
        for ticket in (first, bad, last):
            services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
    mailoutbox.clear()
    calls = failing_for(monkeypatch, "ticket_breach_warn", bad.pk, times=100)
    with at(2025, 9, 1, 13, 10), django_capture_on_commit_callbacks(execute=True):
        assert tasks.warn_of_coming_breaches.delay().get() == 3
    warned = sorted(mail.subject for mail in mailoutbox)
    assert warned == sorted(
        [
            f"[{first.reference}] Answer due soon: Down 0",
            f"[{last.reference}] Answer due soon: Down 2",
        ]
    )
    assert calls.count(bad.pk) == tasks.MAX_RETRIES + 1


def test_the_auto_close_days_set_are_those_the_email_promises_and_the_job_keeps(
    open_ticket, agent, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TICKETS_AUTO_CLOSE_DAYS = 3
    with at(2025, 9, 1, 10):
        ticket = open_ticket()
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    [mail] = mailoutbox
    assert "reply or reopen the request within 3 days" in mail.body
    assert "within 3 days" in mail.alternatives[0][0]
    with at(2025, 9, 4, 9, 59):
        assert tasks.close_resolved_tickets.delay().get() == 0
    with at(2025, 9, 4, 10, 1):
        assert tasks.close_resolved_tickets.delay().get() == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
