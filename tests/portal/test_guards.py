"""Requests no person sends: a NUL character anywhere in what a request carries (PostgreSQL
cannot compare text with one and would answer a server error) gets a clean 400, or a 404
in the URL itself. Run on both databases; on PostgreSQL they were 500s."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, png_bytes, upload
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(owner) -> Ticket:
    install_defaults(Category, SlaPolicy)
    return services.ticket_create(
        requester=owner,
        subject="Mail bounces",
        description="Since this morning.",
        category=Category.objects.get(name="Bug"),
        priority=2,
    )


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ab\x00cd"},
        {"status": "\x00"},
        {"page": "1\x00"},
        {"q\x00": "ab"},
    ],
)
def test_a_nul_in_a_query_parameter_of_my_requests_is_a_bad_request(owner_client, ticket, params):
    response = owner_client.get(reverse("tickets:list"), params)
    assert response.status_code == 400


def test_a_nul_in_a_ticket_reference_finds_no_page(owner_client, ticket):
    for url in ("/tickets/%00/", f"/tickets/{ticket.reference}%00/", "/tickets/%00/close/"):
        response = owner_client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"customer__plan": "\x00"},
        {"q": "\x00"},
        {"status__exact": "new\x00"},
        {"o": "\x00"},
    ],
)
def test_a_nul_in_an_admin_queue_filter_is_a_bad_request(agent_client, ticket, params):
    response = agent_client.get(reverse("admin:tickets_ticket_changelist"), params)
    assert response.status_code == 400


def test_a_nul_in_an_admin_object_id_finds_no_page(agent_client, ticket):
    assert agent_client.get("/admin/tickets/ticket/%00/change/").status_code == 404
    assert agent_client.get("/admin/accounts/user/%00/change/").status_code == 404


def test_a_nul_in_a_form_field_is_a_bad_request_and_nothing_is_saved(owner_client, ticket):
    response = owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]), {"body": "Hello\x00 there"}
    )
    assert response.status_code == 400
    assert ticket.messages.count() == 1


def test_a_nul_in_the_login_form_is_a_bad_request(client, owner):
    response = client.post(
        reverse("accounts:login"), {"username": "olga\x00", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_a_nul_in_the_session_cookie_or_a_header_is_a_bad_request(client, owner):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get(reverse("portal:dashboard")).status_code == 400
    client.cookies.clear()
    assert client.get(reverse("portal:home"), HTTP_USER_AGENT="Firefox\x00").status_code == 400


def test_ordinary_requests_pass_the_guard(owner_client, agent_client, ticket):
    assert owner_client.get(reverse("tickets:list"), {"q": "Mail"}).status_code == 200
    assert owner_client.get(reverse("tickets:detail", args=[ticket.reference])).status_code == 200
    queue = agent_client.get(
        reverse("admin:tickets_ticket_changelist"), {"customer__plan": "premium"}
    )
    assert queue.status_code == 200
    reply = owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "Thanks", "attachments": [upload("shot.png", png_bytes())]},
    )
    assert reply.status_code == 302
