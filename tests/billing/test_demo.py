"""`make run` shows billing data: seed_demo gives every demo customer invoices with real
PDFs, call records and housing traffic, and running it again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from billing.models import CallRecord, ContractDocument, Invoice, TrafficSample
from tests.factories import logged_in

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Invoice, ContractDocument, CallRecord, TrafficSample)
    )


def test_every_demo_customer_has_invoices_calls_and_traffic_and_a_second_run_adds_nothing():
    output = _seed()
    counts = _counts()
    assert "refused" in output
    assert "(0 refused)" in output

    _seed()

    assert _counts() == counts
    for owner in User.objects.filter(role=User.Role.OWNER):
        client = logged_in(owner)
        invoices = client.get(reverse("billing:invoices"))
        assert invoices.content.decode().count("/pdf/") >= 5
        number = Invoice.objects.filter(customer=owner.customer).first().number
        pdf = b"".join(client.get(reverse("billing:invoice_pdf", args=[number])).streaming_content)
        assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
        assert client.get(reverse("billing:call_records")).context["totals"]
        assert client.get(reverse("billing:housing_traffic")).context["p95_in"] > 0


def test_the_basic_customer_has_an_overdue_invoice():
    _seed()

    assert Invoice.objects.filter(customer__plan="basic", status="unpaid").count() == 2
