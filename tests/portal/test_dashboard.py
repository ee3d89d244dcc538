"""The dashboard: the login's open requests, as the view reads them."""

import pytest
from django.urls import reverse

from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def bug(db) -> Category:
    install_defaults(Category, SlaPolicy)
    return Category.objects.get(name="Bug")


def open_request(requester, subject, category):
    return services.ticket_create(
        requester=requester, subject=subject, description="d", category=category, priority=2
    )


def test_the_dashboard_lists_the_five_latest_open_requests_the_login_may_see(
    owner_client, owner, member, agent, bug
):
    older = [open_request(owner, f"Request {n}", bug) for n in range(5)]
    newest = open_request(member, "Opened by a colleague", bug)
    closed = open_request(owner, "Already closed", bug)
    services.ticket_status_change(ticket=closed, acting_user=agent, status="closed")
    response = owner_client.get(reverse("portal:dashboard"))
    shown = response.context["open_requests"]
    assert shown == [newest, *reversed(older[1:])]
    assert "Opened by a colleague" in response.text
    assert "Already closed" not in response.text
    assert older[0].reference not in response.text


def test_a_login_without_requests_is_told_so(owner_client, bug):
    response = owner_client.get(reverse("portal:dashboard"))
    assert response.context["open_requests"] == []
    assert "You have no open requests." in response.text


def test_a_member_sees_only_the_requests_they_opened(member_client, owner, member, bug):
    open_request(owner, "The owner's request", bug)
    mine = open_request(member, "My own request", bug)
    response = member_client.get(reverse("portal:dashboard"))
    assert response.context["open_requests"] == [mine]


def test_staff_without_a_customer_see_no_requests(agent_client, bug):
    response = agent_client.get(reverse("portal:dashboard"))
    assert response.context["open_requests"] == []
