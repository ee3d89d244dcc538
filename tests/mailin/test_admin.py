"""Staff's list of inbound emails: status, sender, request and reason; retry and assign."""

import pytest
from django.urls import reverse

from mailin import services
from mailin.models import InboundEmail
from tests.factories import raw_email
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _received(sender: str, body: str = "Hello, <b>it is me</b>.") -> InboundEmail:
    inbound = services.inbound_email_store(
        raw=raw_email(sender=sender, to="support@example.com", subject="From home", body=body),
        mailbox="support@example.com@imap/INBOX",
    )
    services.inbound_email_process(inbound_id=inbound.pk)
    inbound.refresh_from_db()
    return inbound


def test_agents_see_each_email_with_its_status_and_reason(agent_client, owner):
    refused = _received("stranger@elsewhere.example")
    _received(owner.email)
    page = agent_client.get(reverse("admin:mailin_inboundemail_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "stranger@elsewhere.example" in text
    assert "The sender is not a registered address." in text
    assert Ticket.objects.get().reference in text
    detail = agent_client.get(reverse("admin:mailin_inboundemail_change", args=[refused.pk]))
    assert detail.status_code == 200
    assert "Hello, &lt;b&gt;it is me&lt;/b&gt;." in detail.content.decode()
    assert reverse("admin:mailin_inboundemail_assign", args=[refused.pk]) in detail.content.decode()


def test_customers_cannot_open_the_list(owner_client):
    page = owner_client.get(reverse("admin:mailin_inboundemail_changelist"))
    assert page.status_code == 302


def test_staff_assign_a_refused_email_to_the_login_they_recognise(agent_client, agent, owner):
    refused = _received("olga.home@elsewhere.example")
    url = reverse("admin:mailin_inboundemail_assign", args=[refused.pk])
    assert agent_client.get(url).status_code == 200
    response = agent_client.post(url, {"login": owner.pk})
    assert response.status_code == 302
    refused.refresh_from_db()
    assert refused.status == InboundEmail.Status.PROCESSED
    assert (refused.assigned_by, refused.assigned_to) == (agent, owner)
    assert refused.ticket.requester == owner


def test_staff_retry_a_failed_email(agent_client, owner, monkeypatch):
    inbound = services.inbound_email_store(
        raw=raw_email(sender=owner.email, to="support@example.com", subject="Retry me"),
        mailbox="m",
    )
    services.inbound_email_fail(inbound_id=inbound.pk, reason="RuntimeError('database down')")
    response = agent_client.post(
        reverse("admin:mailin_inboundemail_changelist"),
        {"action": "retry", "_selected_action": [inbound.pk]},
    )
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.status == InboundEmail.Status.PROCESSED
    assert inbound.ticket.subject == "Retry me"
