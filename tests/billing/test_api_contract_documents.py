"""PUT /api/v1/customers/{contract}/documents/{key}: a contract document per customer,
replaced when sent again under its key, checked by content like invoices."""

from billing.models import ContractDocument
from tests.factories import multipart, pdf_bytes, upload, zip_bytes

URL = "/api/v1/customers/{}/documents/{}"


def put(api, contract="C-1001", key="contract-2026", **changes):
    fields = {"title": "Contract", "dated": "2026-01-15", "pdf": upload("c.pdf", pdf_bytes())}
    fields.update(changes)
    fields = {name: value for name, value in fields.items() if value is not None}
    return api.put(URL.format(contract, key), **multipart(fields))


def test_a_document_is_created_for_the_customer(api, customer, settings):
    response = put(api)

    assert response.status_code == 201
    document = ContractDocument.objects.get()
    assert (document.customer, document.key, document.title) == (
        customer,
        "contract-2026",
        "Contract",
    )
    assert document.pdf.path.startswith(str(settings.PRIVATE_MEDIA_ROOT.resolve()))


def test_sent_again_under_its_key_it_is_updated_not_duplicated(api, customer):
    put(api)

    assert put(api).json() == {"outcome": "unchanged"}
    response = put(api, title="Contract and price list", pdf=None)

    assert response.json() == {"outcome": "updated"}
    assert ContractDocument.objects.get().title == "Contract and price list"


def test_the_same_key_for_two_customers_is_two_documents(api, customer, other_customer):
    put(api)
    put(api, contract="C-2002")

    assert ContractDocument.objects.count() == 2


def test_a_file_that_is_not_a_pdf_is_refused(api, customer):
    response = put(api, pdf=upload("c.pdf", zip_bytes()))

    assert response.status_code == 422
    assert response.json() == {"detail": "the file is not a PDF"}
    assert not ContractDocument.objects.exists()


def test_an_unknown_contract_is_refused(api, customer):
    response = put(api, contract="C-9999")

    assert response.status_code == 404
    assert not ContractDocument.objects.exists()


def test_a_key_that_cannot_name_a_file_is_refused(api, customer):
    response = put(api, key="..")

    assert response.status_code == 422
    assert response.json()["detail"].startswith("a document key is")
