import io

import pytest
from django.utils import timezone

from tickets import dashboard
from tickets.demo import HISTORY, seed_demo
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
    stories = Ticket.objects.filter(customer=owner.customer).exclude(
        subject__in=[subject for subject, _category in HISTORY]
    )
    assert stories.count() == 6
    assert Ticket.objects.filter(
        response_due_at__lt=Ticket.objects.get(
            subject="Website returns 502 on every page", customer=owner.customer
        ).created_at
    ).exists()


def test_demo_data_fills_the_dashboard_with_a_month_of_history(owner, other_owner, agent):
    seed_demo(stdout=io.StringIO())
    now = timezone.now()
    count = Ticket.objects.count()
    seed_demo(stdout=io.StringIO())
    assert Ticket.objects.count() == count
    opened, solved = dashboard.opened_and_solved(now=now)
    assert sum(1 for _day, n in opened.points if n) >= 15
    assert sum(1 for _day, n in solved.points if n) >= 10
    kept = [
        value for series in dashboard.first_response_kept(now=now) for _w, value in series.points
    ]
    assert any(value == 100 for value in kept) and any(
        value is not None and value < 100 for value in kept
    )
    hours = dashboard.first_response_hours(now=now)
    assert any(value for _label, value in hours.points)
    numbers = dashboard.now_numbers(agent=agent, now=now)
    assert numbers.overdue >= 3
    assert numbers.mine >= 1
