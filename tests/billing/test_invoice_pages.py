"""The customer's invoices page and its PDF downloads: for the owner and the members the
owner lets see invoices; 404 for every other login, the login page for visitors."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import logged_in, make_document, make_invoice, make_user, pdf_bytes

LIST = reverse("billing:invoices")


@pytest.fixture
def billing_data(customer, other_customer):
    today = timezone.localdate()
    return {
        "paid": make_invoice(customer, "2025-0099", issued_on=date(2025, 12, 1), status="paid"),
        "overdue": make_invoice(
            customer,
            "2026-0100",
            issued_on=today - timedelta(days=40),
            due_on=today - timedelta(days=1),
        ),
        "theirs": make_invoice(other_customer, "2026-0200", issued_on=today),
        "document": make_document(customer),
        "their_document": make_document(other_customer),
    }


def urls(data):
    return [
        LIST,
        reverse("billing:invoice_pdf", args=[data["paid"].number]),
        reverse("billing:contract_document_pdf", args=[data["document"].pk]),
    ]


def test_the_owner_sees_the_invoices_by_year_with_overdue_ones_marked(owner_client, billing_data):
    response = owner_client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "2025-0099" in page
    assert "2026-0100" in page
    assert "2026-0200" not in page
    assert '<h2 class="invoice-year" id="year-2025">2025</h2>' in page
    assert 'class="invoice-overdue"' in page
    assert page.count("badge-overdue") == 1
    assert "Contract for web hosting" in page
    assert f'href="{LIST}" aria-current="page">Invoices</a>' in page


def test_the_pdf_downloads_as_an_attachment(owner_client, billing_data):
    response = owner_client.get(urls(billing_data)[1])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="2025-0099.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_member_the_owner_lets_see_invoices_sees_them(customer, billing_data):
    member = make_user("mia.member", customer=customer, role="member", can_view_invoices=True)
    client = logged_in(member)

    for url in urls(billing_data):
        assert client.get(url).status_code == 200
    assert f'href="{LIST}"' in client.get(reverse("portal:dashboard")).content.decode()


def test_a_member_without_the_permission_gets_404_and_no_navigation_entry(customer, billing_data):
    member = make_user("max.member", customer=customer, role="member", can_view_invoices=False)
    client = logged_in(member)

    for url in urls(billing_data):
        assert client.get(url).status_code == 404
    assert f'href="{LIST}"' not in client.get(reverse("portal:dashboard")).content.decode()


def test_another_customers_login_does_not_reach_these_files(other_client, billing_data):
    for url in urls(billing_data)[1:]:
        assert other_client.get(url).status_code == 404
    page = other_client.get(LIST).content.decode()
    assert "2026-0200" in page
    assert "2025-0099" not in page


def test_staff_get_404(agent_client, billing_data):
    for url in urls(billing_data):
        assert agent_client.get(url).status_code == 404


def test_visitors_are_sent_to_log_in(client, billing_data):
    for url in urls(billing_data):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_takes_the_same_queries_for_many_invoices(
    owner_client, customer, billing_data, django_assert_max_num_queries
):
    for n in range(20):
        make_invoice(customer, f"2024-{n:04d}", issued_on=date(2024, 1, 1) + timedelta(days=n))

    with django_assert_max_num_queries(8):
        response = owner_client.get(LIST)

    assert response.content.decode().count("/pdf/") == 20 + 2 + 1
