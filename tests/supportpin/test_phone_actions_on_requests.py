"""Actions done by phone tied to a request: the agent picks one of the caller's open
requests (or opens a new one); the action shows in its thread, to the customer, and in its
history."""

import pytest
from django.urls import reverse

from supportpin.models import AssistedAction
from tests.factories import activate_pin, pin_of
from tickets import services as ticket_services
from tickets.models import Category, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:supportpin_callerverification_changelist")


def record_url(user):
    return reverse("admin:supportpin_callerverification_record", args=[user.pk])


@pytest.fixture
def request_of(owner):
    def make(subject="Our site shows the old server"):
        return ticket_services.ticket_create(
            requester=owner,
            subject=subject,
            description="Since the move.",
            category=Category.objects.get(name="Domains and DNS"),
            priority=2,
        )

    return make


@pytest.fixture
def verified(agent_client, owner):
    activate_pin(owner)
    agent_client.post(PAGE, {"login": owner.pk, "pin": pin_of(owner)})
    return owner


def test_the_verify_page_offers_the_callers_open_requests_and_a_new_one(
    agent_client, verified, request_of, agent
):
    wanted = request_of()
    closed = request_of(subject="Old invoice")
    ticket_services.ticket_status_change(ticket=closed, acting_user=agent, status="closed")
    page = agent_client.get(PAGE, {"login": verified.pk})
    choices = dict(page.context["action_form"].fields["request"].choices)
    assert str(wanted.pk) in choices and str(closed.pk) not in choices
    assert choices["new"] == "Open a new request"
    assert page.context["action_form"]["request"].value() == str(wanted.pk)
    # And back: each open request links to its page.
    assert reverse("admin:tickets_ticket_change", args=[wanted.pk]) in page.text


def test_an_action_on_an_open_request_shows_in_its_thread_for_the_customer_and_history(
    agent_client, agent, owner_client, verified, request_of, mailoutbox
):
    agent.full_name = "Anna Agent"
    agent.save()
    ticket = request_of()
    mailoutbox.clear()
    response = agent_client.post(
        record_url(verified),
        {"kind": "nameservers", "detail": "Set ns1.example.gr", "request": ticket.pk},
    )
    assert response.status_code == 302
    assert AssistedAction.objects.get().ticket == ticket
    message = ticket.messages.get(is_system=True)
    assert message.body.startswith(
        "Anna did this after checking your Support PIN by phone: Nameserver change"
    )
    assert "Set ns1.example.gr" in message.body
    assert ticket.events.filter(
        kind=TicketEvent.Kind.PHONE_ACTION, actor=agent, new_value="nameservers"
    ).exists()
    # The customer reads it in the request's thread; the SLA clock is not stopped by it.
    page = owner_client.get(reverse("tickets:detail", args=[ticket.reference])).text
    assert "Done by phone" in page and "Set ns1.example.gr" in page
    ticket.refresh_from_db()
    assert ticket.response_due_at is not None
    # One email about the action, not a second one as a reply.
    assert len(mailoutbox) == 1


def test_the_thread_message_is_in_the_customers_language(agent_client, agent, verified, request_of):
    verified.language = "el"
    verified.save()
    ticket = request_of()
    agent_client.post(
        record_url(verified), {"kind": "dns_records", "detail": "MX", "request": ticket.pk}
    )
    # The sentence around it waits for the translation pass; the action's name is Greek.
    message = ticket.messages.get(is_system=True)
    assert "Αλλαγή εγγραφών DNS σε όνομα χώρου" in message.body


def test_an_action_can_open_a_new_request_in_the_category_chosen(agent_client, verified):
    hosting = Category.objects.get(name="Hosting")
    response = agent_client.post(
        record_url(verified),
        {
            "kind": "plesk_settings",
            "detail": "Raised the PHP memory limit",
            "request": "new",
            "category": hosting.pk,
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.priority, ticket.category) == (
        "Plesk settings change of a hosting package",
        2,
        hosting,
    )
    assert ticket.requester == verified
    assert ticket.messages.filter(is_system=True).count() == 1
    assert AssistedAction.objects.get().ticket == ticket


def test_a_new_request_needs_a_category(agent_client, verified):
    response = agent_client.post(
        record_url(verified), {"kind": "plesk_settings", "detail": "x", "request": "new"}
    )
    assert response.status_code == 200
    assert "Choose the category of the new request." in response.text
    assert not AssistedAction.objects.exists() and not Ticket.objects.exists()


def test_another_customers_request_cannot_be_chosen(agent_client, verified, other_owner):
    other = ticket_services.ticket_create(
        requester=other_owner,
        subject="Theirs",
        description="x",
        category=Category.objects.get(name="Bug"),
        priority=2,
    )
    response = agent_client.post(
        record_url(verified), {"kind": "dns_records", "detail": "x", "request": other.pk}
    )
    assert response.status_code == 200
    assert not AssistedAction.objects.exists()
    assert not other.messages.filter(is_system=True).exists()


def test_the_ticket_page_links_to_verifying_its_requester(agent_client, request_of, owner):
    ticket = request_of()
    page = agent_client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).text
    assert f"{PAGE}?login={owner.pk}" in page
