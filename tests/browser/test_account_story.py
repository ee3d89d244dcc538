"""A new customer's first visit, in a real browser: register, activate from the mailed
link, log in, see the dashboard, switch to Greek, change password and email, log out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import link_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Blue-harbour-Lamp-77"


def _register(page, *, email: str, username: str) -> None:
    page.goto("/accounts/register/")
    page.get_by_label("Full name").fill("Dana Demetriou")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Company name").fill("Demetriou Web")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Register|Create", re.I)).click()


def _log_in(page, *, login: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_register_activate_log_in_switch_to_greek_and_log_out(page, mailoutbox):
    _register(page, email="dana@example.com", username="dana")
    expect(page.locator("main")).to_contain_text("activation link")

    # Before activation, logging in says so.
    _log_in(page, login="dana", password=PASSWORD)
    expect(page.locator("main")).to_contain_text("not activated")

    assert len(mail.outbox) == 1
    page.goto(link_in(mail.outbox[0], "/accounts/activate/"))
    expect(page.locator(".messages")).to_contain_text("Your account is active")

    _log_in(page, login="DANA@example.com", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Dana")
    expect(page.get_by_test_id("login-name")).to_have_text("dana")

    # Moving through the choices with the keyboard changes nothing (WCAG 3.2.2) ...
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_label("Language").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Language")).to_have_value("el")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.stillTheSamePage") is True
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert User.objects.get(username="dana").language == "en"
    # ... until the button confirms the choice.
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Γεια σας")
    assert User.objects.get(username="dana").language == "el"

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Αποσύνδεση").click()
    expect(page.get_by_role("link", name="Σύνδεση").first).to_be_visible()


def test_change_password_and_email_from_the_account_menu(page, mailoutbox):
    _register(page, email="eva@example.com", username="eva")
    page.goto(link_in(mail.outbox[0], "/accounts/activate/"))
    _log_in(page, login="eva", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.locator(".account-menu summary").click()
    page.locator(".account-menu").get_by_role("link", name="Change password").click()
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill("Green-valley-Kite-88")
    page.locator("#id_new_password2").fill("Green-valley-Kite-88")
    page.locator("main").get_by_role("button", name=re.compile("Change", re.I)).click()
    expect(page.locator(".messages")).to_contain_text("password has been changed")

    page.locator(".account-menu summary").click()
    page.locator(".account-menu").get_by_role("link", name="Change email address").click()
    page.locator("#id_new_email").fill("eva.new@example.com")
    page.locator("#id_current_password").fill("Green-valley-Kite-88")
    page.locator("main").get_by_role("button", name=re.compile("Send|Change|Confirm", re.I)).click()
    expect(page.locator("main")).to_contain_text("eva.new@example.com")
    assert User.objects.get(username="eva").email == "eva@example.com"

    confirmation = next(m for m in mail.outbox if m.to == ["eva.new@example.com"])
    page.goto(link_in(confirmation, "/accounts/email/confirm/"))
    expect(page.locator(".messages")).to_contain_text("eva.new@example.com")
    assert User.objects.get(username="eva").email == "eva.new@example.com"

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    _log_in(page, login="eva.new@example.com", password="Green-valley-Kite-88")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
