"""A mobile number in Chromium (issue 8): changed on the profile, counted once the code
texted to it is entered; then codes by SMS as the second step of the login.

The live server runs in this process, so the SMS it sends land in the locmem outbox the
test reads, as a customer reads their phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from sms.backends import locmem
from tests.factories import PASSWORD, make_customer, make_user, sms_code_in

pytestmark = pytest.mark.django_db(transaction=True)

OLD = "+306912345678"
NEW = "+306915551234"


@pytest.fixture
def owner(db):
    customer = make_customer(name="Bravo Web", contract_number="C-7007")
    return make_user("bea.bravo", customer=customer, role=User.Role.OWNER, mobile=OLD)


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "bea.bravo")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_customer_changes_the_mobile_with_a_texted_code_then_logs_in_with_sms_codes(
    page, owner, settings
):
    settings.SMS_BACKEND = "sms.backends.locmem.LocmemBackend"
    locmem.outbox.clear()
    log_in(page)

    page.goto("/accounts/profile/")
    page.get_by_label("Mobile phone").fill("+30 691 555 1234")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Verify your mobile number")).to_be_visible()
    expect(page.locator("main")).to_contain_text("+30 691 555 1234")
    page.get_by_label("Code from the SMS").fill(sms_code_in(locmem.outbox, NEW))
    page.get_by_role("button", name="Verify", exact=True).click()

    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    expect(page.get_by_label("Mobile phone")).to_have_value(NEW)
    expect(page.get_by_test_id("mobile-status")).to_have_text("Your mobile number is verified.")
    assert any(sms.to == OLD and "replace this mobile number" in sms.body for sms in locmem.outbox)

    page.goto("/accounts/security/")
    page.get_by_role("button", name="Use codes by SMS").click()
    expect(page.get_by_role("heading", name="Use codes by SMS")).to_be_visible()
    page.get_by_label("Code").fill(sms_code_in(locmem.outbox, NEW))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    locmem.outbox.clear()
    log_in(page)
    expect(page.get_by_role("heading", name="Code by SMS")).to_be_visible()
    page.get_by_role("button", name="Text me a code").click()
    expect(page.get_by_role("status")).to_contain_text("We have sent a code by SMS")
    page.get_by_label("Code").fill(sms_code_in(locmem.outbox, NEW))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_test_id("login-name")).to_have_text("bea.bravo")
