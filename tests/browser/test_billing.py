"""The owner decides who sees the usage: taking "call records" from a member removes the
navigation entries and the pages answer 404; the owner downloads an invoice's PDF."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from accounts.models import User
from billing import services as billing_services
from billing.models import CustomerNumber
from billing.services import Delivery
from tests.factories import OWN_NUMBER, make_calls, make_customer, make_user, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def acme(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    customer = make_customer("Acme Hosting", contract_number="C-5005")
    owner = make_user("olga.owner", customer=customer, role=User.Role.OWNER)
    member = make_user("mario.member", customer=customer, role=User.Role.MEMBER)
    CustomerNumber.objects.create(customer=customer, number=OWN_NUMBER)
    make_calls(customer, 5)
    billing_services.invoice_put(
        number="2026-000123",
        contract_number="C-5005",
        issued_on=date(2026, 11, 1),
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        due_on=date(2026, 11, 15),
        amount=Decimal("119.90"),
        currency="EUR",
        status="paid",
        pdf=ContentFile(pdf_bytes(), name="2026-000123.pdf"),
        delivery=Delivery(source="test"),
    )
    return owner, member


def test_the_owner_takes_call_records_from_a_member(new_page, log_in, acme):
    owner, member = acme
    member_page = new_page()
    log_in(member_page, member)
    member_page.goto("/dashboard/")
    navigation = member_page.get_by_role("navigation").first
    expect(navigation.get_by_role("link", name="Call records")).to_be_visible()
    member_page.get_by_role("link", name="Call records").click()
    expect(member_page.get_by_test_id("call-totals")).to_contain_text("5")

    owner_page = new_page()
    log_in(owner_page, owner)
    owner_page.goto("/accounts/people/")
    expect(owner_page.get_by_test_id("permission-opens")).to_contain_text(
        "Call records: the call records and housing traffic pages"
    )
    row = owner_page.get_by_test_id("person-mario.member")
    row.get_by_label("Can see call records").uncheck()
    row.get_by_role("button", name="Save permissions").click()
    expect(
        owner_page.get_by_test_id("person-mario.member").get_by_label("Can see call records")
    ).not_to_be_checked()

    member_page.goto("/dashboard/")
    expect(member_page.get_by_role("link", name="Call records")).to_have_count(0)
    expect(member_page.get_by_role("link", name="Housing traffic")).to_have_count(0)
    expect(member_page.get_by_role("link", name="Invoices")).to_be_visible()
    assert member_page.goto("/billing/call-records/").status == 404
    assert member_page.goto("/billing/traffic/").status == 404


def test_the_owner_downloads_an_invoice(new_page, log_in, acme):
    owner, _member = acme
    page = new_page()
    log_in(page, owner)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Invoices").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download invoice 2026-000123").click()

    download = download_info.value
    assert download.suggested_filename == "2026-000123.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read() == pdf_bytes()
