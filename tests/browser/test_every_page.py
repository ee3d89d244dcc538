"""Every public page, every page of a customer and the admin pages agents use, in English
and in Greek, on a phone's screen: each answers in the language asked, and passes the checks
every browser test gets (tests/browser/pagechecks.py): axe-core's WCAG 2.1 A and AA rules,
no Content-Security-Policy violation, no sideways scrolling."""

from datetime import date
from decimal import Decimal
from itertools import zip_longest
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command

from accounts.models import User
from billing import services as billing_services
from billing.models import CustomerNumber
from billing.services import Delivery
from helpcentre.models import Article
from tests.factories import (
    OWN_NUMBER,
    activate_pin,
    make_calls,
    make_customer,
    make_traffic,
    make_user,
    pdf_bytes,
)
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "forgotten-password-or-username"
PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/password/reset/",
    "/accounts/username/",
    "/accounts/activate/resend/",
    "/admin/login/",
    "/help/",
    "/help/search/?q=password",
    "/help/search/?q=zzzzzz",
    "/help/sections/account/",
    "/help/articles/forgotten-password-or-username/",
    "/help/contact/",
    "/help/priorities/",
]


def _customer_pages(ticket) -> list[str]:
    return [
        "/dashboard/",
        "/accounts/profile/",
        "/accounts/people/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/tickets/",
        "/tickets/new/",
        f"/tickets/{ticket.reference}/",
        "/support-pin/",
        "/support-pin/history/",
        "/accounts/security/",
        "/accounts/confirm-identity/?next=/accounts/security/",
        "/billing/invoices/",
        "/billing/call-records/",
        "/billing/call-records/?sort=duration&page=2",
        "/billing/traffic/",
    ]


def _admin_pages(ticket, owner, article) -> list[str]:
    return [
        "/admin/",
        "/admin/tickets/ticket/dashboard/",
        "/admin/tickets/ticket/",
        f"/admin/tickets/ticket/{ticket.pk}/change/",
        "/admin/supportpin/callerverification/",
        f"/admin/supportpin/callerverification/?q={owner.username}",
        f"/admin/supportpin/callerverification/?login={owner.pk}",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{owner.pk}/change/",
        "/admin/accounts/customer/",
        "/admin/helpcentre/article/",
        f"/admin/helpcentre/article/{article.pk}/change/",
        f"/admin/helpcentre/article/{article.pk}/preview/el/",
        "/admin/helpcentre/article/deflections/",
        "/admin/helpcentre/unansweredsearch/",
        "/admin/billing/apitoken/",
        "/admin/billing/apitoken/add/",
        "/admin/billing/invoice/",
    ]


def _tabs(new_page, log_in, base_url: str, language: str, user: User | None = None) -> list:
    """Two phone-sized tabs speaking `language`, logged in as `user` when one is given."""
    page = new_page(locale=language, viewport={"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
    if user is not None:
        log_in(page, user)
    return [page, page.context.new_page()]


def _visit(visits: list[tuple[list, list[str]]], language: str) -> list[str]:
    """Show each path in one of its tabs; what is wrong with them. The tabs take turns, so
    that a page's checks run while the next tab loads."""
    lanes = [
        [(tabs[i % len(tabs)], path) for i, path in enumerate(paths)] for tabs, paths in visits
    ]
    queue = [visit for turn in zip_longest(*lanes) for visit in turn if visit]
    problems = []
    for page, path in queue:
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{path} answers {response.status}")
        if page.url != urljoin(page.url, path):
            problems.append(f"{path} was sent on to {page.url}")
        if page.locator("html").get_attribute("lang") != language:
            problems.append(f"{path} is not in {language}")
    return problems


@pytest.mark.parametrize("language", ["en", "el"])
def test_every_page_passes_the_accessibility_and_security_checks(
    new_page, log_in, page_checks, live_server, language, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    call_command("load_help_articles", verbosity=0)
    customer = make_customer("Acme Hosting", plan="business", contract_number="C-5005")
    owner = make_user(
        "olga.owner",
        customer=customer,
        role=User.Role.OWNER,
        language=language,
        mobile="+306912345678",
    )
    make_user("mario.member", customer=customer, role=User.Role.MEMBER, language=language)
    agent = make_user("anna.agent", is_staff=True, is_superuser=True, language=language)
    activate_pin(owner)
    ticket = services.ticket_create(
        requester=owner,
        subject="All our sites are down",
        description="Every site returns 502 since 10:00.",
        category=Category.objects.get(name="Hosting"),
        priority=3,
    )
    services.ticket_reply_as_agent(
        ticket=ticket, agent=agent, body="We restarted the load balancer: please check."
    )
    billing_services.invoice_put(
        number="2026-000123",
        contract_number="C-5005",
        issued_on=date(2026, 11, 1),
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        due_on=date(2026, 11, 15),
        amount=Decimal("119.90"),
        currency="EUR",
        status="unpaid",
        pdf=ContentFile(pdf_bytes(), name="2026-000123.pdf"),
        delivery=Delivery(source="test"),
    )
    CustomerNumber.objects.create(customer=customer, number=OWN_NUMBER)
    CustomerNumber.objects.create(customer=customer, number="+421905999000")
    make_calls(customer, 60)
    make_traffic(customer, "192.0.2.10", range(1, 289))
    make_traffic(customer, "192.0.2.11", [10] * 12)
    customer_pages = _customer_pages(ticket)
    admin_pages = _admin_pages(ticket, owner, Article.objects.get(slug=ARTICLE))

    problems = _visit(
        [
            (_tabs(new_page, log_in, live_server.url, language), PUBLIC_PAGES),
            (_tabs(new_page, log_in, live_server.url, language, owner), customer_pages),
            (_tabs(new_page, log_in, live_server.url, language, agent), admin_pages),
        ],
        language,
    )

    assert not problems, "\n".join(problems)
    page_checks.finish()
    assert len(page_checks.checked) == len(PUBLIC_PAGES) + len(customer_pages) + len(admin_pages)
