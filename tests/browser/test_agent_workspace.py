"""The agents' workspace in a browser: the queue at a laptop's 1280 px, the ticket page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    activate_pin,
    install_canned_replies,
    make_customer,
    make_user,
    pin_of,
)
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize(
    ("language", "locale", "time_left", "by_view"),
    [
        ("en", "en-GB", "time left", "By view"),
        # Greek words are longer: the columns must fit all the same.
        ("el", "el-GR", "χρόνος που απομένει", "Ανά προβολή"),
    ],
    ids=["English", "Greek"],
)
def test_the_queue_fits_1280_px_with_time_left_second_and_subjects_on_one_line(
    new_page, log_in, settings, tmp_path, language, locale, time_left, by_view
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    customer = make_customer("Aristotelis Hosting and Cloud Services Ltd", plan="business")
    owner = make_user("olga.owner", customer=customer, role="owner", full_name="Olga Papadopoulou")
    agent = make_user(
        "anna.agent", is_staff=True, full_name="Anna Konstantinidou", language=language
    )
    long_subject = (
        "After the migration of our mail server every message sent to the partners in Italy "
        "bounces with a 550 error and the web mail shows a blank page"
    )
    for priority, subject in enumerate([long_subject, "Invoice copy", "DNS"], start=3):
        ticket = services.ticket_create(
            requester=owner,
            subject=subject,
            description="Details.",
            category=Category.objects.get(name="Hosting"),
            priority=priority,
        )
        services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
    # The widest status there is.
    services.ticket_status_change(ticket=ticket, acting_user=agent, status="waiting")

    page = new_page(locale=locale, viewport=LAPTOP)
    log_in(page, agent)
    page.goto("/admin/tickets/ticket/")

    expect(page.locator("html")).to_have_attribute("lang", language)
    headers = page.locator("#result_list thead th").all_text_contents()
    assert time_left in headers[2].lower()  # after the checkbox and the reference
    subject = page.locator("#result_list .one-line", has_text="After the migration")
    expect(subject).to_have_attribute("title", long_subject)
    row_heights = page.locator("#result_list tbody tr").evaluate_all(
        "rows => rows.map(row => row.getBoundingClientRect().height)"
    )
    assert max(row_heights) < 2 * min(row_heights) and max(row_heights) < 50
    widths = page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            window: window.innerWidth,
            results: document.querySelector('#changelist .results').scrollWidth,
            resultsBox: document.querySelector('#changelist .results').clientWidth,
        })"""
    )
    # Kept with the test's files, to be looked at when it fails.
    page.screenshot(path=tmp_path / f"queue-{language}-1280.png", full_page=True)
    assert widths["document"] <= widths["window"], widths
    assert widths["results"] <= widths["resultsBox"], widths
    # The saved views are the first filter.
    expect(page.locator("#changelist-filter summary").first).to_contain_text(by_view)


def test_an_agent_verifies_a_caller_records_a_dns_change_on_their_request_and_answers_in_greek(
    new_page, log_in, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    install_canned_replies()
    customer = make_customer("Ellinika Diktya", plan="premium")
    owner = make_user(
        "eleni.owner",
        customer=customer,
        role="owner",
        full_name="Eleni Georgiou",
        language="el",
        mobile="+306912345678",
    )
    activate_pin(owner)
    agent = make_user("anna.agent", is_staff=True, full_name="Anna Agent")
    ticket = services.ticket_create(
        requester=owner,
        subject="Η σελίδα δεν φορτώνει",
        description="Λευκή σελίδα.",
        category=Category.objects.get(name="Domains and DNS"),
        priority=2,
    )

    agent_page = new_page(viewport=LAPTOP)
    log_in(agent_page, agent)
    agent_page.goto(f"/admin/tickets/ticket/{ticket.pk}/change/")
    expect(agent_page.get_by_test_id("caller-verification")).to_contain_text("not verified")
    agent_page.get_by_role("link", name="Caller verified?").click()
    agent_page.get_by_label("PIN read out by the caller").fill(pin_of(owner))
    agent_page.get_by_role("button", name="Verify").click()
    expect(agent_page.get_by_test_id("verification-status")).to_contain_text("Verified")
    agent_page.get_by_label("Action").select_option(label="DNS records change for a domain name")
    agent_page.get_by_label("What was done").fill("Pointed www.diktya.gr to the new server")
    expect(agent_page.get_by_label("Request", exact=True)).to_have_value(str(ticket.pk))
    agent_page.get_by_role("button", name="Record the action").click()
    expect(agent_page.locator(".messagelist")).to_contain_text("recorded")

    customer_page = new_page(locale="el-GR")
    log_in(customer_page, owner)
    customer_page.goto(f"/tickets/{ticket.reference}/")
    expect(customer_page.locator(".thread")).to_contain_text(
        "Pointed www.diktya.gr to the new server"
    )

    agent_page.get_by_role("link", name=ticket.reference).click()
    expect(agent_page.locator(".thread")).to_contain_text("Pointed www.diktya.gr")
    expect(agent_page.locator(".ticket-history")).to_contain_text(
        "Action done by phone after a Support PIN check"
    )
    expect(agent_page.get_by_test_id("caller-verification")).to_contain_text(
        "verified 0\xa0minutes ago by Anna Agent"
    )
    # The page's scripts have run (Insert does nothing before they have).
    agent_page.wait_for_load_state("load")
    agent_page.get_by_label("Find a canned reply by title").fill("browser")
    agent_page.get_by_role("button", name="Insert into the message").click()
    message = agent_page.get_by_label("Message")
    expect(message).to_have_value(re.compile(r"^Αγαπητέ/ή Eleni Georgiou,"))
    expect(message).to_have_value(re.compile(rf"στο αίτημα {ticket.reference}"))
    agent_page.get_by_role("button", name="Send").click()
    expect(agent_page.locator(".messagelist")).to_contain_text("Reply sent to the customer")
    reply = ticket.messages.get(from_staff=True, is_system=False)
    assert "πρόγραμμα περιήγησης" in reply.body and reply.body.endswith("Anna Agent")

    customer_page.reload()
    expect(customer_page.locator(".thread")).to_contain_text("πρόγραμμα περιήγησης")
