"""Two-factor authentication in Chromium (issue 8): an authenticator app enrolled from the
secret on the page, a recovery code, a passkey on Chromium's virtual authenticator, and an
agent's first visit to the admin.

WebAuthn refuses an IP address as relying party, so these pages open the live server as
`localhost`."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.mfa import services
from accounts.models import User
from tests.factories import PASSWORD, make_customer, make_user, totp_device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_page(new_page, live_server):
    """Pages on `localhost`, checked like every other page (axe-core, CSP, width)."""
    return lambda: new_page(base_url=live_server.url.replace("127.0.0.1", "localhost"))


@pytest.fixture
def owner(db):
    customer = make_customer(name="Bravo Web", contract_number="C-7007")
    return make_user("bea.bravo", customer=customer, role=User.Role.OWNER)


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for `secret` as printed on the page."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()


def log_out(page) -> None:
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()


def open_security_page(page) -> None:
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Security").click()


def test_a_customer_enrols_an_authenticator_app_logs_out_and_logs_in_with_a_code(open_page, owner):
    page = open_page()
    log_in(page, "bea.bravo")
    open_security_page(page)
    page.get_by_role("button", name="Add an authenticator app").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "recovery-codes.txt"
    page.get_by_role("link", name="I have kept them").click()
    expect(page.locator("main")).to_contain_text("Two-factor authentication is on")

    log_out(page)
    log_in(page, "bea.bravo")
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("bea.bravo")
    # The code used to confirm the app cannot be used again: the app's next one can.
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_test_id("login-name")).to_have_text("bea.bravo")


def test_a_customer_who_lost_the_app_logs_in_with_a_recovery_code(open_page, owner):
    totp_device(owner)
    codes = services.recovery_codes_generate(user=owner, acting_user=owner)

    page = open_page()
    log_in(page, "bea.bravo")
    page.get_by_role("link", name="Recovery code").click()
    page.get_by_label("Recovery code").fill(codes[3].upper())
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    open_security_page(page)
    expect(page.get_by_test_id("recovery-left")).to_have_text("9 of 10 codes left.")


def test_a_customer_enrols_a_passkey_and_logs_in_with_it(open_page, owner):
    page = open_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    log_in(page, "bea.bravo")
    open_security_page(page)
    page.get_by_label("Name of this passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_test_id("passkeys")).to_contain_text("Work laptop")

    log_out(page)
    log_in(page, "bea.bravo")
    expect(page.get_by_role("heading", name="Passkey or security key")).to_be_visible()
    page.get_by_test_id("use-passkey").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_test_id("login-name")).to_have_text("bea.bravo")


def test_an_agents_first_admin_visit_asks_for_enrolment(open_page):
    make_user("anna.agent", is_staff=True)

    page = open_page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", "anna.agent")
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/security/$"))
    expect(page.get_by_test_id("staff-enrol")).to_contain_text(
        "Staff logins need two-factor authentication."
    )
    expect(page.locator("main")).not_to_contain_text("Use codes by email")
    page.goto("/admin/tickets/ticket/")
    expect(page).to_have_url(re.compile(r"/accounts/security/$"))

    page.get_by_role("button", name="Add an authenticator app").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()

    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
