"""Signed-in devices in Chromium (issue 9): one login in two browsers; the first signs the
second out from the Security page, and the second is back at the login page. The login
history lists both sign-ins with their browsers."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD, make_customer, make_user

pytestmark = pytest.mark.django_db(transaction=True)

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def open_browser(browser, live_server):
    contexts = []

    def opener(user_agent: str):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", user_agent=user_agent
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield opener
    for context in contexts:
        context.close()


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_one_browser_signs_the_other_out_and_the_history_lists_both(open_browser):
    customer = make_customer(name="Delta Net", contract_number="C-9009")
    make_user("dora.delta", customer=customer, role=User.Role.OWNER)
    laptop = open_browser(FIREFOX_WINDOWS)
    phone = open_browser(SAFARI_IPHONE)
    log_in(laptop, "dora.delta")
    log_in(phone, "dora.delta")

    laptop.goto("/accounts/security/")
    devices = laptop.get_by_test_id("signed-in-devices")
    expect(devices.get_by_test_id("signed-in-session")).to_have_count(2)
    this = devices.get_by_test_id("signed-in-session").filter(
        has=laptop.get_by_test_id("this-device")
    )
    expect(this).to_contain_text("Firefox 128")
    expect(this).to_contain_text("Windows computer")
    devices.get_by_role("button", name="Sign out Safari 17").click()

    expect(laptop.locator(".messages")).to_contain_text("That device is signed out.")
    expect(devices.get_by_test_id("signed-in-session")).to_have_count(1)

    phone.goto("/accounts/security/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    expect(phone.locator("input[name=username]")).to_be_visible()

    history = laptop.get_by_test_id("login-history").get_by_test_id("login-attempt")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Safari 17")
    expect(history.nth(0)).to_contain_text("iPhone")
    expect(history.nth(1)).to_contain_text("Firefox 128")
    expect(history.nth(1).get_by_test_id("this-session")).to_be_visible()
