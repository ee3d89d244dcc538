"""The agents' workspace in a browser: the queue at a laptop's 1280 px, the ticket page."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_customer, make_user
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}


def test_the_queue_fits_1280_px_with_time_left_second_and_subjects_on_one_line(
    new_page, log_in, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    customer = make_customer("Aristotelis Hosting and Cloud Services Ltd", plan="business")
    owner = make_user("olga.owner", customer=customer, role="owner", full_name="Olga Papadopoulou")
    agent = make_user("anna.agent", is_staff=True, full_name="Anna Konstantinidou")
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

    page = new_page(viewport=LAPTOP)
    log_in(page, agent)
    page.goto("/admin/tickets/ticket/")

    headers = page.locator("#result_list thead th").all_inner_texts()
    assert "time left" in headers[2].lower()  # after the checkbox and the reference
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
    assert widths["document"] <= widths["window"], widths
    assert widths["results"] <= widths["resultsBox"], widths
    # The saved views are the first filter.
    expect(page.locator("#changelist-filter summary").first).to_contain_text("By view")
