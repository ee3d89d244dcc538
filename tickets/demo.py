"""Demo data for `make run`: for every demo customer, requests in every status, one of
them overdue, and a month of history for the agents' dashboard, written through the
services so that clocks, events and history are real."""

import contextlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import TextIO
from unittest import mock

from django.db import transaction
from django.utils import timezone

from accounts.models import Customer, User
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, Priority, SlaPolicy, Ticket
from tickets.sla import ATHENS

# (subject, category, priority, description, what happens next)
STORIES = [
    ("Website returns 502 on every page", "Hosting", Priority.CRITICAL,
     "Since 09:40 all our sites show 502 Bad Gateway.", "new"),
    ("Emails to Gmail bounce", "Email", Priority.URGENT,
     "Messages to gmail.com come back with 550 5.7.26.", "open"),
    ("Add an MX record for example.gr", "Domains and DNS", Priority.NORMAL,
     "Please point the MX of example.gr to mail.example.gr.", "waiting"),
    ("Invoice 2025-041 shows the wrong VAT number", "Billing", Priority.LOW,
     "Our VAT number is EL123456789.", "resolved"),
    ("How do I change my FTP password?", "Question", Priority.LOW,
     "I cannot find the option in the panel.", "closed"),
    ("Backups page is slow", "Bug", Priority.HIGH,
     "The backups page takes a minute to load.", "overdue"),
]  # fmt: skip


def _customers_with_people() -> list[tuple[Customer, User]]:
    """Each demo customer with the login that opens its requests (the owner if any)."""
    people = (
        User.objects.filter(customer__isnull=False, role__in=[User.Role.OWNER, User.Role.MEMBER])
        .select_related("customer")
        .order_by("customer_id", "-role", "pk")
    )
    chosen: dict[int, tuple[Customer, User]] = {}
    for person in people:
        if person.customer_id not in chosen or person.role == User.Role.OWNER:
            chosen[person.customer_id] = (person.customer, person)
    return list(chosen.values())


@transaction.atomic
def _tell_story(*, requester: User, agent: User, story: tuple) -> Ticket:
    subject, category_name, priority, description, ending = story
    ticket = services.ticket_create(
        requester=requester,
        subject=subject,
        description=description,
        category=Category.objects.get(name=category_name),
        priority=priority,
        browser="Firefox 128",
        device="Windows computer",
    )
    if ending == "open":
        services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
        services.ticket_reply_as_agent(
            ticket=ticket, agent=agent, body="Looking into the SPF record.", internal=True
        )
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="open")
    elif ending in ("waiting", "resolved", "closed"):
        services.ticket_reply_as_agent(
            ticket=ticket,
            agent=agent,
            body="Thank you, this is done. Could you check on your side?",
            status={"waiting": None, "resolved": "resolved", "closed": "closed"}[ending],
        )
    elif ending == "overdue":
        # Started two weeks ago so the queue shows a breached clock.
        started = timezone.now() - timedelta(days=14)
        Ticket.objects.filter(pk=ticket.pk).update(
            awaiting_response_since=started, response_due_at=started + timedelta(hours=16)
        )
    return ticket


# A month of requests for the dashboard's charts: (subject, category).
HISTORY = [
    ("Cannot log in to webmail", "Email"),
    ("Renew the SSL certificate of shop.example.gr", "Hosting"),
    ("Point www to the new server", "Domains and DNS"),
    ("FTP uploads stop at 2 MB", "Bug"),
    ("Second copy of the March invoice", "Billing"),
    ("How do I add a mailbox?", "Question"),
]
HISTORY_DAYS = 30


@contextlib.contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """The services, and the dates Django stamps on new rows, read this moment as now: the
    history is written as it would have happened, SLA outcomes included."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _history_of(*, requester: User, agent: User, index: int, now: datetime) -> int:
    """Requests of the last HISTORY_DAYS days: most answered within hours (one in five a
    few days late) and solved a day or two later; a few of the last week left unanswered,
    so that they are overdue now."""
    categories = {category.name: category for category in Category.objects.all()}
    today = now.astimezone(ATHENS).date()
    created = 0
    for days_ago in range(HISTORY_DAYS - 1, 0, -1):
        for n in range((days_ago * 7 + index) % 3):
            number = days_ago * 3 + n + index
            subject, category = HISTORY[number % len(HISTORY)]
            opened = datetime.combine(
                today - timedelta(days=days_ago), time(9, 30), tzinfo=ATHENS
            ) + timedelta(hours=number % 7)
            with _clock_at(opened):
                ticket = services.ticket_create(
                    requester=requester,
                    subject=subject,
                    description="Details are in the first message.",
                    category=categories[category],
                    priority=Priority.values[number % len(Priority.values)],
                    browser="Firefox 128",
                    device="Windows computer",
                )
            created += 1
            if days_ago < 7 and number % 4 == 0:
                continue  # never answered: overdue now
            late = number % 5 == 0
            answered = opened + (timedelta(days=3) if late else timedelta(hours=1 + number % 4))
            if answered >= now:
                continue
            with _clock_at(answered):
                if number % 3 == 0:
                    services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
                services.ticket_reply_as_agent(
                    ticket=ticket, agent=agent, body="Thank you, we are on it."
                )
            solved = answered + timedelta(days=1 + number % 2)
            if number % 4 != 3 and solved < now:
                with _clock_at(solved):
                    services.ticket_status_change(
                        ticket=ticket, acting_user=agent, status=Ticket.Status.RESOLVED
                    )
    return created


def seed_demo(*, stdout: TextIO) -> None:
    install_defaults(Category, SlaPolicy)
    agent = (
        User.objects.filter(is_staff=True, is_active=True).order_by("is_superuser", "pk").first()
    )
    if agent is None:
        stdout.write("tickets: no staff login to answer demo requests; skipped.\n")
        return
    created = 0
    now = timezone.now()
    subjects = [subject for subject, _category in HISTORY]
    for index, (customer, requester) in enumerate(_customers_with_people()):
        if not Ticket.objects.filter(customer=customer, subject__in=subjects).exists():
            created += _history_of(requester=requester, agent=agent, index=index, now=now)
        if Ticket.objects.filter(customer=customer).exclude(subject__in=subjects).exists():
            continue
        for story in STORIES:
            _tell_story(requester=requester, agent=agent, story=story)
            created += 1
    stdout.write(f"tickets: {created} demo requests created.\n")
