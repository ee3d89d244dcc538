"""The ticket page reads the SLA policies once and the caller's verification with the
ticket: what it shows is what sla_policy_for, QueueClock and verification_status_for
answer."""

from datetime import datetime, timedelta

import pytest
import time_machine

from supportpin.models import SupportPin
from supportpin.selectors import verification_status_for
from tests.factories import activate_pin
from tickets import selectors
from tickets.models import Channel, SlaPolicy, Ticket
from tickets.sla import ATHENS

pytestmark = pytest.mark.django_db


def test_the_ticket_pages_sla_is_the_policy_and_the_clocks(open_ticket):
    with time_machine.travel(datetime(2025, 9, 1, 9, tzinfo=ATHENS), tick=False):
        tickets = [open_ticket(priority=priority) for priority in (1, 3, 5)]
    # A channel with policies of its own, one around the clock, and one with none at all.
    email = tickets[1]
    Ticket.objects.filter(pk=email.pk).update(channel=Channel.EMAIL)
    email.refresh_from_db()
    plan = email.customer.plan
    SlaPolicy.objects.update_or_create(
        plan=plan,
        priority=3,
        channel=Channel.EMAIL,
        defaults={"response_hours": 2, "calendar": SlaPolicy.CalendarKind.AROUND_THE_CLOCK},
    )
    SlaPolicy.objects.filter(plan=plan, priority=5).delete()
    for now in (datetime(2025, 9, 1, 10, tzinfo=ATHENS), datetime(2025, 9, 6, 23, tzinfo=ATHENS)):
        for ticket in (tickets[0], email, tickets[2]):
            policy, left = selectors.ticket_sla(ticket=ticket, now=now)
            expected = selectors.sla_policy_for(plan=plan, priority=ticket.priority)
            assert (policy.pk, policy.response_hours, policy.calendar) == (
                expected.pk,
                expected.response_hours,
                expected.calendar,
            )
            assert left == selectors.QueueClock(now).time_left(ticket)
    assert selectors.ticket_sla(ticket=tickets[2], now=now)[0].pk is None


def test_the_callers_verification_read_with_the_ticket_is_the_selectors(
    agent_client, open_ticket, owner
):
    from django.urls import reverse

    ticket = open_ticket()
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    assert agent_client.get(url).context["caller"] == verification_status_for(owner)
    activate_pin(owner)
    now = datetime.now(tz=ATHENS)
    for active, until in [
        (True, now + timedelta(minutes=5)),
        (False, now + timedelta(minutes=5)),
        (True, now - timedelta(minutes=5)),
        (True, None),
    ]:
        SupportPin.objects.filter(user=owner).update(is_active=active, verified_until=until)
        shown = agent_client.get(url).context["caller"]
        assert shown == verification_status_for(owner)
        assert shown.verified_now == (active and until is not None and until > now)


def test_the_ticket_form_takes_only_staff_as_assignee(agent_client, agent, owner, open_ticket):
    from django.urls import reverse

    ticket = open_ticket()
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    data = {"status": "open", "priority": ticket.priority, "category": ticket.category_id}
    refused = agent_client.post(url, {**data, "assignee": owner.pk})
    assert "assignee" in refused.context["adminform"].form.errors
    assert agent_client.post(url, {**data, "assignee": agent.pk}).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (agent, "open")
