"""PUT /api/v1/invoices/{number}: idempotent by number, the PDF checked by its content and
stored privately, another amount under the same number refused."""

from decimal import Decimal

import pytest

from billing.models import FeedEvent, Invoice
from tests.factories import multipart, pdf_bytes, png_bytes, upload

URL = "/api/v1/invoices/{}"


def invoice_fields(**changes) -> dict:
    fields = {
        "contract_number": "C-1001",
        "issued_on": "2026-11-01",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "due_on": "2026-11-15",
        "amount": "119.90",
        "currency": "EUR",
        "status": "unpaid",
        "pdf": upload("anything.pdf", pdf_bytes()),
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


def put(api, number="2026-000123", **changes):
    return api.put(URL.format(number), **multipart(invoice_fields(**changes)))


def test_a_new_invoice_is_created_with_its_pdf_kept_privately(api, customer, settings):
    response = put(api)

    assert response.status_code == 201
    assert response.json() == {"outcome": "created"}
    invoice = Invoice.objects.get(number="2026-000123")
    assert invoice.customer == customer
    assert invoice.amount == Decimal("119.90")
    assert invoice.status == Invoice.Status.UNPAID
    assert invoice.pdf.path.startswith(str(settings.PRIVATE_MEDIA_ROOT.resolve()))
    assert invoice.pdf.read() == pdf_bytes()
    assert invoice.pdf_size == len(pdf_bytes())
    event = FeedEvent.objects.get(kind=FeedEvent.Kind.INVOICE)
    assert event.token == api_token_of(api)
    assert event.detail["outcome"] == "created"


def api_token_of(api):
    from billing.models import ApiToken

    return ApiToken.objects.get()


def test_the_same_invoice_sent_again_changes_nothing(api, customer):
    put(api)
    invoice = Invoice.objects.get()

    response = put(api)

    assert response.status_code == 200
    assert response.json() == {"outcome": "unchanged"}
    again = Invoice.objects.get()
    assert again.pdf.name == invoice.pdf.name
    assert again.updated_at == invoice.updated_at
    assert FeedEvent.objects.filter(kind=FeedEvent.Kind.INVOICE).count() == 1


def test_a_paid_invoice_is_updated_without_sending_the_pdf_again(api, customer):
    put(api)

    response = put(api, status="paid", pdf=None)

    assert response.status_code == 200
    assert response.json() == {"outcome": "updated"}
    invoice = Invoice.objects.get()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.pdf.read() == pdf_bytes()
    assert FeedEvent.objects.filter(kind=FeedEvent.Kind.INVOICE).first().detail["changed"] == [
        "status"
    ]


def test_a_new_pdf_replaces_the_file_and_the_old_one_is_deleted(api, customer):
    put(api)
    old = Invoice.objects.get().pdf
    old_path = old.path
    newer = pdf_bytes().replace(b"%%EOF", b"% corrected\n%%EOF")

    response = put(api, pdf=upload("corrected.pdf", newer))

    assert response.json() == {"outcome": "updated"}
    invoice = Invoice.objects.get()
    assert invoice.pdf.read() == newer
    assert not old.storage.exists(old_path)


def test_another_amount_under_the_same_number_is_refused_as_a_conflict(api, customer):
    put(api)

    response = put(api, amount="99.00", status="paid")

    assert response.status_code == 409
    assert response.json() == {"detail": "invoice 2026-000123 exists with amount 119.90 EUR"}
    invoice = Invoice.objects.get()
    assert invoice.amount == Decimal("119.90")
    assert invoice.status == Invoice.Status.UNPAID


def test_the_same_number_for_another_contract_is_a_conflict(api, customer, other_customer):
    put(api)

    response = put(api, contract_number="C-2002")

    assert response.status_code == 409
    assert Invoice.objects.get().customer == customer


def test_an_unknown_contract_is_refused_and_nothing_is_written(api, customer, settings):
    response = put(api, contract_number="C-9999")

    assert response.status_code == 404
    assert response.json() == {"detail": "unknown contract 'C-9999'"}
    assert not Invoice.objects.exists()
    assert not FeedEvent.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "billing").exists()


@pytest.mark.parametrize(
    "file",
    [
        upload("invoice.pdf", png_bytes()),
        upload("invoice.pdf", b"Not a PDF, whatever its name says.\n"),
        upload("invoice.pdf", b""),
    ],
    ids=["an image", "text", "empty"],
)
def test_a_file_that_is_not_a_pdf_is_refused(api, customer, settings, file):
    response = put(api, pdf=file)

    assert response.status_code == 422
    assert "PDF" in response.json()["detail"]
    assert not Invoice.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "billing").exists()


def test_a_new_invoice_without_its_pdf_is_refused(api, customer):
    response = put(api, pdf=None)

    assert response.status_code == 422
    assert response.json() == {"detail": "a new invoice needs its PDF"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "twelve"),
        ("amount", "1.234"),
        ("currency", "euro"),
        ("status", "overdue"),
        ("issued_on", "01/11/2026"),
        ("contract_number", None),
    ],
)
def test_a_field_that_is_wrong_or_missing_is_refused_by_name(api, customer, field, value):
    response = put(api, **{field: value})

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]
    assert not Invoice.objects.exists()


def test_a_nul_character_in_the_form_is_refused(api, customer):
    response = put(api, contract_number="C-1001\x00")

    assert response.status_code == 400
    assert not Invoice.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(api, customer):
    response = put(api, period_end="2026-09-30")

    assert response.status_code == 422
    assert response.json() == {"detail": "period_end is before period_start"}


def test_an_invoice_number_that_cannot_name_a_file_is_refused(api, customer):
    response = put(api, number="2026 000123")

    assert response.status_code == 422


def test_a_body_larger_than_a_pdf_may_be_is_refused_before_it_is_read(api, customer, settings):
    settings.TICKETS_ATTACHMENT_MAX_BYTES = 1000
    response = api.put(
        URL.format("2026-000123"),
        **multipart(invoice_fields(pdf=upload("big.pdf", pdf_bytes() + b"%" * 80_000))),
    )

    assert response.status_code == 413
    assert not Invoice.objects.exists()


def test_a_form_that_is_not_multipart_is_refused(api, customer):
    response = api.put(URL.format("2026-000123"), data=b"{}", content_type="application/json")

    assert response.status_code == 415


def test_putting_an_invoice_takes_a_constant_number_of_queries(
    api, customer, django_assert_max_num_queries
):
    put(api)
    with django_assert_max_num_queries(8):
        put(api, status="paid")


def test_a_pdf_too_large_is_refused_in_english_whatever_the_language(api, customer, settings):
    settings.TICKETS_ATTACHMENT_MAX_BYTES = 2000
    big = upload("big.pdf", pdf_bytes() + b"%" * 3000)

    response = api.put(
        URL.format("2026-000123"),
        **multipart(invoice_fields(pdf=big)),
        headers={"Accept-Language": "el"},
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("the PDF: 2026-000123.pdf is too large")
