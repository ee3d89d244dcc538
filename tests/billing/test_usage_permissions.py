"""Who reaches the call records and housing traffic pages: the owner and the members the
owner lets see call records; 404 for members without it and for staff, the login page for
visitors. Another customer's login reaches the same URLs but sees only its own usage."""

import pytest
from django.urls import reverse

from tests.factories import OTHER_NUMBER, logged_in, make_calls, make_traffic, make_user

CALLS = reverse("billing:call_records")
CSV = reverse("billing:call_records_csv")
TRAFFIC = reverse("billing:housing_traffic")
URLS = [CALLS, CSV, TRAFFIC]


@pytest.fixture
def usage(customer, other_customer, numbers):
    make_calls(customer, 3)
    make_calls(other_customer, 2, number=OTHER_NUMBER, prefix="theirs")
    make_traffic(customer, "192.0.2.10", [10] * 12)
    make_traffic(other_customer, "198.51.100.7", [10] * 12)


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_the_owner_reaches_every_page(owner_client, usage, url):
    response = owner_client.get(url)

    assert response.status_code == 200
    assert OTHER_NUMBER not in body(response)
    assert "198.51.100.7" not in body(response)


@pytest.mark.parametrize("url", URLS)
def test_a_member_the_owner_lets_see_call_records_reaches_every_page(customer, usage, url):
    member = make_user("mia.member", customer=customer, role="member", can_view_call_records=True)

    assert logged_in(member).get(url).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_a_member_without_the_permission_gets_404(customer, usage, url):
    member = make_user(
        "max.member",
        customer=customer,
        role="member",
        can_view_call_records=False,
        can_view_invoices=True,
    )

    assert logged_in(member).get(url).status_code == 404


def test_the_navigation_shows_the_entries_only_with_the_permission(customer, usage):
    allowed = make_user("mia.member", customer=customer, role="member")
    denied = make_user("max.member", customer=customer, role="member", can_view_call_records=False)
    dashboard = reverse("portal:dashboard")

    page = logged_in(allowed).get(dashboard).content.decode()
    assert f'href="{CALLS}"' in page
    assert f'href="{TRAFFIC}"' in page
    page = logged_in(denied).get(dashboard).content.decode()
    assert f'href="{CALLS}"' not in page
    assert f'href="{TRAFFIC}"' not in page


@pytest.mark.parametrize("url", URLS)
def test_another_customers_login_sees_only_its_own_usage(other_client, usage, url):
    response = other_client.get(url)

    assert response.status_code == 200
    assert "+421905111222" not in body(response)
    assert "192.0.2.10" not in body(response)


def test_another_customers_login_cannot_ask_for_our_number_or_address(other_client, usage):
    calls = other_client.get(CALLS, {"number": "+421905111222"})
    traffic = other_client.get(TRAFFIC, {"ip": "192.0.2.10"})

    assert calls.context["totals"][0].calls == 2
    assert traffic.context["ip_address"] == "198.51.100.7"


@pytest.mark.parametrize("url", URLS)
def test_staff_get_404(agent_client, usage, url):
    assert agent_client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_visitors_are_sent_to_log_in(client, usage, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
