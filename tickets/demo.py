"""Demo data for `make run`: for every demo customer, requests in every status, one of
them overdue, written through the services so that clocks, events and history are real."""

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from accounts.models import Customer, User
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, Priority, SlaPolicy, Ticket

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


def seed_demo(*, stdout: TextIO) -> None:
    install_defaults(Category, SlaPolicy)
    agent = (
        User.objects.filter(is_staff=True, is_active=True).order_by("is_superuser", "pk").first()
    )
    if agent is None:
        stdout.write("tickets: no staff login to answer demo requests; skipped.\n")
        return
    created = 0
    for customer, requester in _customers_with_people():
        if Ticket.objects.filter(customer=customer).exists():
            continue
        for story in STORIES:
            _tell_story(requester=requester, agent=agent, story=story)
            created += 1
    stdout.write(f"tickets: {created} demo requests created.\n")
