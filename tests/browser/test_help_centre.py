"""The help centre in a browser: a Greek customer about to write a request finds the
answer instead, and a visitor searches without logging in."""

import pytest
from playwright.sync_api import expect

from helpcentre.models import Feedback
from helpcentre.starter import load_starter_articles
from tests.factories import PASSWORD, make_customer, make_user
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

GREEK_TITLE = "Ξέχασα τον κωδικό πρόσβασης ή το όνομα χρήστη"


def test_a_greek_customer_finds_the_answer_while_writing_and_opens_no_request(new_page):
    install_defaults(Category, SlaPolicy)
    load_starter_articles()
    customer = make_customer("Acme Hosting", plan="premium")
    owner = make_user("eleni.owner", customer=customer, role="owner", language="el")

    page = new_page(locale="el-GR")
    page.goto("/accounts/login/")
    page.fill("input[name=username]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/tickets/new/")
    page.locator("#id_subject").press_sequentially("ξέχασα τον κωδικό", delay=30)

    suggestions = page.get_by_test_id("help-suggestions")
    expect(suggestions.get_by_role("link", name=GREEK_TITLE)).to_be_visible()
    suggestions.get_by_role("link", name=GREEK_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GREEK_TITLE)
    page.locator("button[name=answer][value=solved]").click()

    expect(page.locator(".messages")).to_be_visible()
    assert Feedback.objects.get().kind == Feedback.Kind.DEFLECTION
    assert not Ticket.objects.exists()


def test_a_visitor_searches_the_help_centre_without_logging_in(page):
    load_starter_articles()

    page.goto("/")
    page.locator("header").get_by_role("link", name="Help centre").click()
    page.get_by_role("searchbox").fill("two-factor recovery codes")
    page.get_by_role("search").get_by_role("button").click()

    results = page.get_by_test_id("search-results")
    expect(results.get_by_role("link", name="Two-factor authentication")).to_be_visible()
    results.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    page.get_by_role("button", name="Yes").click()
    expect(page.locator(".messages")).to_contain_text("Thank you")
