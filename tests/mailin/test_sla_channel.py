"""Requests by email are answered within the email channel's targets (seed 004: Basic
24 h, Premium 8 h, Business 4 h of business hours)."""

from datetime import datetime

import pytest
from django.urls import reverse

from mailin import services
from tests.factories import raw_email
from tickets import selectors
from tickets.models import Category, Channel, Priority, SlaPolicy, Ticket
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db

MONDAY_10 = datetime.fromisoformat("2026-12-07T10:00:00+02:00")


@pytest.fixture
def monday(monkeypatch):
    monkeypatch.setattr("tickets.services._now", lambda: MONDAY_10)


def test_a_request_by_email_gets_the_email_target_and_one_in_the_portal_its_own(owner, monday):
    assert owner.customer.plan == "premium"
    by_email = ticket_create(
        requester=owner,
        subject="By email",
        description="x",
        category=Category.objects.get(name="Email"),
        priority=Priority.NORMAL,
        channel=Channel.EMAIL,
    )
    in_portal = ticket_create(
        requester=owner,
        subject="In the portal",
        description="x",
        category=Category.objects.get(name="Email"),
        priority=Priority.NORMAL,
    )
    assert by_email.response_due_at == datetime.fromisoformat("2026-12-07T18:00:00+02:00")
    # 24 business hours: 8 on Monday, 9 on Tuesday, 7 on Wednesday.
    assert in_portal.response_due_at == datetime.fromisoformat("2026-12-09T16:00:00+02:00")


def test_an_email_from_a_registered_sender_opens_a_request_on_the_email_policy(owner, monday):
    inbound = services.inbound_email_store(
        raw=raw_email(sender=owner.email, to="support@example.com", subject="Help"), mailbox="m"
    )
    services.inbound_email_process(inbound_id=inbound.pk)
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.EMAIL
    assert ticket.response_due_at == datetime.fromisoformat("2026-12-07T18:00:00+02:00")


def test_the_email_policies_follow_seed_004():
    hours = {
        plan: int(selectors.sla_policy_for(plan=plan, priority=Priority.NORMAL, channel="email")
                  .response_hours)
        for plan in ("basic", "premium", "business")
    }  # fmt: skip
    assert hours == {"basic": 24, "premium": 8, "business": 4}


def test_the_contact_page_shows_the_email_row(client):
    SlaPolicy.objects.filter(plan="business", channel="email", priority=Priority.NORMAL).update(
        response_hours=3
    )
    page = client.get(reverse("helpcentre:contact")).content.decode()
    assert "By email" in page
    assert "within 3 h of business hours" in page
