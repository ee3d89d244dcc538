"""The ticket page in the admin: one title, the caller's verification in the header, no
reply to a closed request until it is reopened, and a notice of a colleague's reply."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from supportpin.services import support_pin_verify
from tests.factories import activate_pin, make_user, pin_of
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.sla import ATHENS

pytestmark = pytest.mark.django_db


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def reply_url(ticket):
    return reverse("admin:tickets_ticket_reply", args=[ticket.pk])


def test_the_ticket_page_shows_its_title_once(agent_client, open_ticket):
    ticket = open_ticket(subject="Zebra DNS failure")
    page = agent_client.get(change_url(ticket)).text
    main = page.split("<main", 1)[1]
    assert main.count("Zebra DNS failure") == 1
    assert f"<h1>{ticket.reference} Zebra DNS failure</h1>" in page
    assert "Change ticket" not in main


def test_the_header_says_who_verified_the_caller_and_how_long_ago(agent_client, open_ticket, owner):
    ticket = open_ticket()
    url = change_url(ticket)
    assert "not verified" in agent_client.get(url).text
    anna = make_user("anna.k", is_staff=True, full_name="Anna Konstantinou")
    activate_pin(owner)
    start = datetime(2025, 9, 1, 10, tzinfo=ATHENS)
    with time_machine.travel(start, tick=False):
        support_pin_verify(user=owner, agent=anna, pin=pin_of(owner, start))
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        page = agent_client.get(url).text
    assert "verified 4\xa0minutes ago by Anna Konstantinou" in page
    verify = reverse("admin:supportpin_callerverification_changelist") + f"?login={owner.pk}"
    assert f'<a href="{verify}">Caller verified?</a>' in page


def test_an_agent_cannot_reply_to_a_closed_request_until_reopening_it_which_is_recorded(
    agent_client, agent, open_ticket, mailoutbox
):
    ticket = open_ticket()
    services.ticket_status_change(ticket=ticket, acting_user=agent, status="closed")
    page = agent_client.get(change_url(ticket)).text
    assert "Reopen the request" in page
    assert 'name="_reply"' not in page

    mailoutbox.clear()
    response = agent_client.post(reply_url(ticket), {"body": "Still there?"}, follow=True)
    assert "This request is closed: reopen it before replying." in response.text
    assert ticket.messages.count() == 1 and mailoutbox == []

    agent_client.post(reverse("admin:tickets_ticket_reopen", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.events.filter(
        kind=TicketEvent.Kind.STATUS_CHANGED, actor=agent, old_value="closed", new_value="open"
    ).exists()
    agent_client.post(reply_url(ticket), {"body": "Still there?"})
    assert ticket.messages.filter(body="Still there?").exists()


def test_a_reply_sent_after_a_colleagues_reply_comes_back_with_a_notice_then_goes(
    agent_client, agent, open_ticket
):
    ticket = open_ticket()
    page = agent_client.get(change_url(ticket))
    seen = page.context["reply_form"].initial["seen_message_id"]
    assert seen == ticket.messages.get().pk
    bob = make_user("bob.agent", is_staff=True, full_name="Bob Agent")
    services.ticket_reply_as_agent(ticket=ticket, agent=bob, body="Restarted the server.")

    response = agent_client.post(
        reply_url(ticket), {"body": "Please try again.", "seen_message_id": seen}
    )
    assert response.status_code == 200
    assert "Bob Agent replied to this request after you opened it." in response.text
    assert "Please try again.</textarea>" in response.text
    assert not ticket.messages.filter(body="Please try again.").exists()

    again = response.context["reply_form"]
    assert again["send_anyway"].value() == "on"
    response = agent_client.post(
        reply_url(ticket),
        {
            "body": "Please try again.",
            "seen_message_id": again["seen_message_id"].value(),
            "send_anyway": "on",
        },
    )
    assert response.status_code == 302
    assert ticket.messages.filter(body="Please try again.", author=agent).exists()


def test_an_agents_own_earlier_reply_or_a_note_is_no_collision(agent_client, agent, open_ticket):
    ticket = open_ticket()
    seen = ticket.messages.get().pk
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="First answer.")
    bob = make_user("bob.agent", is_staff=True)
    services.ticket_reply_as_agent(ticket=ticket, agent=bob, body="Note.", internal=True)
    response = agent_client.post(
        reply_url(ticket), {"body": "Second answer.", "seen_message_id": seen}
    )
    assert response.status_code == 302


def test_a_request_that_came_by_email_tells_the_agent_to_confirm_changes_through_the_portal(
    agent_client, open_ticket
):
    by_portal = open_ticket(subject="Opened in the portal")
    by_email = open_ticket(subject="Opened by email")
    Ticket.objects.filter(pk=by_email.pk).update(channel="email")

    assert (
        "Came by email: confirm through the portal." in agent_client.get(change_url(by_email)).text
    )
    assert "Came by email" not in agent_client.get(change_url(by_portal)).text


def test_the_agent_is_warned_when_emails_to_the_requester_bounce(agent_client, open_ticket, owner):
    ticket = open_ticket()
    assert "emails to this address bounce" not in agent_client.get(change_url(ticket)).text

    owner.email_bounced_at = datetime(2026, 3, 2, 10, 0, tzinfo=ATHENS)
    owner.save()

    assert "emails to this address bounce" in agent_client.get(change_url(ticket)).text
