import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_invites_visitors_to_log_in_or_register(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert reverse("accounts:login") in response.text
    assert reverse("accounts:register") in response.text


def test_dashboard_requires_login(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_dashboard_greets_the_customer_with_login_name_in_account_menu(owner_client, owner):
    response = owner_client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert owner.username in response.text
    assert owner.customer.name in response.text


def test_unknown_page_is_a_404_in_the_site_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text


def test_server_error_page_apologises_in_the_site_layout_without_touching_the_database(
    rf, django_assert_num_queries
):
    from portal.views import error_500

    request = rf.get("/")  # no session, no user: the failure may be theirs
    with django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_health_check_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


def test_pages_of_a_logged_in_customer_are_never_cached(owner_client):
    response = owner_client.get(reverse("portal:dashboard"))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_public_pages_stay_cacheable_for_visitors(client):
    response = client.get(reverse("portal:home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_forbidden_page_is_a_403_in_the_site_layout(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from portal.views import error_403

    request = rf.get("/")
    request.user = AnonymousUser()
    response = error_403(request, PermissionDenied())
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def _error_summary(response) -> str:
    return response.text.split("data-error-summary>", 1)[1].split("</div>", 1)[0]


def test_the_error_summary_links_each_error_to_its_field(client):
    response = client.post(reverse("accounts:register"), {"email": "not-an-address"})
    summary = _error_summary(response)
    assert '<a href="#id_email">Email address: Enter a valid email address.</a>' in summary
    assert '<a href="#id_username">Username: This field is required.</a>' in summary
    assert summary.count("<a href=") == len(response.context["form"].errors)


def test_the_error_summary_lists_errors_of_the_whole_form_too(client, owner):
    response = client.post(
        reverse("accounts:login"), {"username": "olga.owner", "password": "wrong-one-1"}
    )
    summary = _error_summary(response)
    assert "<li>The login or the password is not correct" in summary


def test_an_error_in_a_choice_of_buttons_links_to_its_first_button(owner_client):
    response = owner_client.post(reverse("tickets:create"), {"subject": "Down", "priority": "9"})
    summary = _error_summary(response)
    assert '<a href="#id_priority_0">Priority: Select a valid choice.' in summary
    assert 'id="id_priority_0"' in response.text


STATIC = Path(__file__).resolve().parents[2] / "static" / "css"
# Every surface a focusable element of the portal sits on.
SURFACES = [
    "body",
    ".card",
    ".site-header",
    ".site-footer",
    ".pin-bar",
    ".error-summary",
    ".message",
    ".message-success",
    ".message-error",
    ".message-info",
    ".thread-message",
    ".thread-message.from-staff",
]


def _css_rules() -> dict[str, dict[str, str]]:
    text = "".join(path.read_text() for path in sorted(STATIC.glob("*.css")))
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {
            name.strip(): value.strip()
            for name, _, value in (part.partition(":") for part in body.split(";"))
            if value.strip()
        }
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


def _colour(value: str, variables: dict[str, str]) -> str:
    """The hex colour in a CSS value, following var(--name, fallback)."""
    found = re.search(r"var\((--[\w-]+)(?:,\s*([^)]+))?\)", value)
    if found:
        return _colour(variables.get(found.group(1)) or found.group(2), variables)
    return re.search(r"#[0-9a-fA-F]{6}\b", value).group(0)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_ring_contrasts_at_least_3_to_1_with_every_surface():
    rules = _css_rules()
    variables = rules[":root"]
    ring = _colour(rules[":focus-visible"]["outline"], variables)
    contrasts = {
        surface: round(_contrast(ring, _colour(rules[surface]["background"], variables)), 2)
        for surface in SURFACES
    }
    assert {surface: ratio for surface, ratio in contrasts.items() if ratio < 3} == {}
