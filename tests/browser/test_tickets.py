"""A critical request, from the customer's browser to the agent's queue and back."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    admin_log_in,
    make_customer,
    make_user,
    png_bytes,
    totp_device,
)
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_critical_request_with_a_screenshot_reaches_the_top_of_the_queue_and_gets_an_answer(
    new_page, mailoutbox, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    customer = make_customer("Acme Hosting", plan="business")
    owner = make_user("olga.owner", customer=customer, role="owner")
    agent_app = totp_device(make_user("anna.agent", is_staff=True))
    for subject in ("Invoice copy", "New mailbox"):
        services.ticket_create(
            requester=owner,
            subject=subject,
            description="Whenever you can.",
            category=Category.objects.get(name="Question"),
            priority=1,
        )

    customer_page = new_page()
    customer_page.goto("/accounts/login/")
    customer_page.fill("input[name=username]", owner.email)
    customer_page.fill("input[name=password]", PASSWORD)
    customer_page.locator("main form button[type=submit]").click()
    customer_page.goto("/tickets/new/")
    customer_page.get_by_label("Subject").fill("All our sites are down")
    customer_page.get_by_label("Category").select_option(label="Hosting")
    customer_page.get_by_label("Critical").check()
    customer_page.get_by_label("Description").fill("Every site returns 502 since 10:00.")
    customer_page.get_by_label("Attachments").set_input_files(
        {"name": "screenshot.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    customer_page.get_by_role("button", name="Send request").click()
    expect(customer_page.locator(".messages")).to_contain_text("Its reference is T-")
    ticket = Ticket.objects.get(subject="All our sites are down")
    expect(customer_page.get_by_role("img", name="Preview of screenshot.png")).to_be_visible()

    agent_page = new_page()
    admin_log_in(agent_page, "anna.agent", agent_app)
    agent_page.goto("/admin/tickets/ticket/")
    first_row = agent_page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(ticket.reference)
    expect(first_row).to_contain_text("Critical")
    first_row.get_by_role("link", name=ticket.reference).click()
    expect(agent_page.locator(".thread")).to_contain_text("Every site returns 502")
    agent_page.get_by_label("Message").fill("We restarted the load balancer: please check.")
    agent_page.get_by_role("button", name="Send").click()
    expect(agent_page.locator(".messagelist")).to_contain_text("Reply sent to the customer")

    customer_page.reload()
    expect(customer_page.locator(".thread")).to_contain_text("We restarted the load balancer")
    expect(customer_page.get_by_test_id("ticket-status")).to_contain_text("Waiting on customer")
    replies = [mail for mail in mailoutbox if "New reply" in mail.subject]
    assert [mail.to for mail in replies] == [[owner.email]]
    assert re.search(rf"\[{ticket.reference}\]", replies[0].subject)
    assert "We restarted the load balancer" in replies[0].body
