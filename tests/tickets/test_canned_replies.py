"""Canned replies: kept by staff in four languages, offered on the ticket page in the
requester's language with the customer's name, the reference and the agent's name."""

import pytest
from django.urls import reverse

from tickets.models import CannedReply

pytestmark = pytest.mark.django_db


def test_the_seeded_canned_replies_exist_in_four_languages():
    titles = set(CannedReply.objects.values_list("title", flat=True))
    assert {
        "How to find your Support PIN",
        "Confirm this change through the portal",
        "Please send your browser and device",
    } <= titles
    for reply in CannedReply.objects.all():
        for language in ("en", "el", "it", "sk"):
            body = getattr(reply, f"body_{language}")
            assert "{customer_name}" in body and "{agent_name}" in body


def test_placeholders_are_filled_and_a_missing_language_falls_back_to_english():
    reply = CannedReply(
        title="t",
        body_en="Dear {customer_name}, about {reference}: {unknown} — {agent_name}",
        body_el="Αγαπητέ/ή {customer_name}",
        body_it="",
        body_sk="",
    )
    assert reply.text_for("el", customer_name="Olga") == "Αγαπητέ/ή Olga"
    assert (
        reply.text_for("it", customer_name="Olga", reference="T-1", agent_name="Anna")
        == "Dear Olga, about T-1: {unknown} — Anna"
    )


def test_the_ticket_page_offers_canned_replies_in_the_requesters_language(
    agent_client, agent, open_ticket, owner
):
    owner.language = "el"
    owner.full_name = "Olga Papadopoulou"
    owner.save()
    agent.full_name = "Anna Agent"
    agent.save()
    ticket = open_ticket()
    page = agent_client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).text
    assert "Canned reply (inserted in Greek)" in page
    assert "Αγαπητέ/ή Olga Papadopoulou" in page
    assert f"στο αίτημα {ticket.reference}" in page
    assert "Anna Agent" in page
    assert "js/canned_replies.js" in page


def test_staff_manage_canned_replies_in_the_admin(agent_client):
    response = agent_client.post(
        reverse("admin:tickets_cannedreply_add"),
        {
            "title": "Thanks",
            "is_active": "on",
            "body_en": "Thank you, {customer_name}.",
            "body_el": "Σας ευχαριστούμε, {customer_name}.",
            "body_it": "La ringraziamo, {customer_name}.",
            "body_sk": "Ďakujeme, {customer_name}.",
        },
    )
    assert response.status_code == 302
    listing = agent_client.get(reverse("admin:tickets_cannedreply_changelist"), {"q": "thanks"})
    assert [reply.title for reply in listing.context["cl"].result_list] == ["Thanks"]


def test_customers_cannot_open_the_canned_replies_admin(owner_client):
    response = owner_client.get(reverse("admin:tickets_cannedreply_changelist"))
    assert response.status_code == 302


def test_the_ticket_page_takes_the_same_queries_with_more_canned_replies(
    agent_client, open_ticket, django_assert_max_num_queries
):
    ticket = open_ticket()
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    with django_assert_max_num_queries(15) as few:
        agent_client.get(url)
    for index in range(10):
        CannedReply.objects.create(
            title=f"Reply {index}", body_en="x", body_el="x", body_it="x", body_sk="x"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent_client.get(url)
