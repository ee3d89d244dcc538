"""The site's header ({% site_header %}): kept per language and kind of visitor, with each
request's own login name, CSRF token and return address put in."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import logged_in, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
TICKETS = reverse("tickets:list")
INVOICES = reverse("billing:invoices")


def header_of(response) -> str:
    page = response.content.decode()
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def csrf_in(header: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header).group(1)


def test_each_login_sees_its_own_name_though_the_header_is_kept(owner, customer):
    other = make_user("<b>eve</b>", customer=customer, role=owner.role)

    first = header_of(logged_in(owner).get(DASHBOARD))
    second = header_of(logged_in(other).get(DASHBOARD))

    assert f'<span data-testid="login-name">{owner.username}</span>' in first
    assert '<span data-testid="login-name">&lt;b&gt;eve&lt;/b&gt;</span>' in second
    assert "<b>eve</b>" not in second and owner.username not in second


def test_the_links_follow_the_logins_permissions_and_the_section_shown(owner, member):
    member.can_view_invoices = False
    member.save()
    owner_header = header_of(logged_in(owner).get(TICKETS))
    member_header = header_of(logged_in(member).get(TICKETS))
    anonymous_header = header_of(Client().get(reverse("helpcentre:home")))

    assert f'href="{INVOICES}"' in owner_header and f'href="{INVOICES}"' not in member_header
    assert "People and permissions" in owner_header
    assert "People and permissions" not in member_header
    assert f'<a href="{TICKETS}" aria-current="page">' in member_header
    dashboard_header = header_of(logged_in(member).get(DASHBOARD))
    assert f'<a href="{DASHBOARD}" aria-current="page">' in dashboard_header
    assert f'<a href="{TICKETS}" aria-current="page">' not in dashboard_header
    assert "Log in" in anonymous_header and "login-name" not in anonymous_header
    assert "My requests" not in anonymous_header


def test_the_language_switch_returns_to_this_page_with_a_token_that_is_accepted(owner):
    client = logged_in(owner)
    client.handler.enforce_csrf_checks = True

    header = header_of(client.get(TICKETS + '?q=a"b&status=open'))
    response = client.post(
        reverse("portal:set_language"),
        {"language": "el", "next": TICKETS, "csrfmiddlewaretoken": csrf_in(header)},
    )

    assert 'value="/tickets/?q=a%22b&amp;status=open"' in header
    assert response.status_code == 302
    greek = header_of(client.get(TICKETS))
    assert "Τα αιτήματά μου" in greek and "selected>Ελληνικά" in greek
    assert csrf_in(greek) != csrf_in(header)
