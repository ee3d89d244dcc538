"""The whole Support PIN story in two browsers: the customer gives a new mobile, enters
the code texted to it, activates and reads the PIN from the bar; an agent verifies it in
the admin and records a DNS change; the customer sees it in the list and has the email."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from sms.backends import locmem
from supportpin.models import AssistedAction
from tests.factories import (
    PASSWORD,
    admin_log_in,
    make_customer,
    make_user,
    sms_code_in,
    totp_device,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_activates_agent_verifies_and_records_a_dns_change(new_page, settings):
    settings.SMS_BACKEND = "sms.backends.locmem.LocmemBackend"
    customer = make_customer(name="Bravo Web", contract_number="C-7007")
    make_user("bea.bravo", customer=customer, role=User.Role.OWNER, email="bea@bravo.example")
    agent_app = totp_device(make_user("anna.agent", is_staff=True))
    mail.outbox.clear()
    locmem.outbox.clear()

    customer_page = new_page()
    customer_page.goto("/accounts/login/")
    customer_page.fill("input[name=username]", "bea@bravo.example")
    customer_page.fill("input[name=password]", PASSWORD)
    customer_page.locator("main form button[type=submit]").click()
    customer_page.goto("/support-pin/")
    customer_page.get_by_label("Mobile phone").fill("+30 691 555 1234")
    customer_page.get_by_role("button", name="Send me a code").click()
    customer_page.get_by_label("Code from the SMS").fill(
        sms_code_in(locmem.outbox, "+306915551234")
    )
    customer_page.get_by_role("button", name="Verify", exact=True).click()
    customer_page.get_by_role("button", name="Activate").click()
    bar_pin = customer_page.get_by_test_id("support-pin")
    expect(bar_pin).to_have_text(re.compile(r"^\d{3} \d{3}$"))
    pin = bar_pin.inner_text()
    expect(customer_page.locator("[data-countdown]")).to_have_text(re.compile(r"^\(\d+:\d\d\)$"))

    agent_page = new_page()
    admin_log_in(agent_page, "anna.agent", agent_app)
    agent_page.get_by_role("link", name="Verify a caller").click()
    agent_page.get_by_label("Contract number, username, email or mobile").fill("+30 691 555 1234")
    agent_page.get_by_role("button", name="Find").click()
    agent_page.get_by_role("link", name="Select").click()
    agent_page.get_by_label("PIN read out by the caller").fill(pin)
    agent_page.get_by_role("button", name="Verify").click()
    expect(agent_page.get_by_test_id("verification-status")).to_contain_text("Verified")
    expect(agent_page.locator("#content-main")).to_contain_text("Bravo Web")
    agent_page.get_by_label("Action").select_option(label="DNS records change for a domain name")
    agent_page.get_by_label("What was done").fill("Added MX records for bravo.gr")
    agent_page.get_by_role("button", name="Record the action").click()
    expect(agent_page.locator(".messagelist")).to_contain_text("recorded")

    customer_page.goto("/support-pin/history/")
    row = customer_page.get_by_test_id("history-action")
    expect(row).to_contain_text("DNS records change")
    expect(row).to_contain_text("Added MX records for bravo.gr")
    # The PIN was burnt by the verification: the bar now shows another one.
    expect(customer_page.get_by_test_id("support-pin")).not_to_have_text(pin)

    assert AssistedAction.objects.get().detail == "Added MX records for bravo.gr"
    [email] = [m for m in mail.outbox if "DNS records change" in m.subject]
    assert email.to == ["bea@bravo.example"]
    assert "Added MX records for bravo.gr" in email.body
