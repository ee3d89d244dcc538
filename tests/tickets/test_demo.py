import io

import pytest

from tickets.demo import seed_demo
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_data_has_every_status_for_every_customer_and_can_run_twice(
    owner, member, other_owner, agent
):
    seed_demo(stdout=io.StringIO())
    seed_demo(stdout=io.StringIO())
    for customer in (owner.customer, other_owner.customer):
        statuses = set(Ticket.objects.filter(customer=customer).values_list("status", flat=True))
        assert statuses == set(Ticket.Status.values)
    assert Ticket.objects.filter(customer=owner.customer, requester=owner).count() == 6
    assert Ticket.objects.filter(
        response_due_at__lt=Ticket.objects.get(
            subject="Website returns 502 on every page", customer=owner.customer
        ).created_at
    ).exists()
