import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_language_switch_offers_the_four_languages(client):
    response = client.get(reverse("portal:home"))
    for code in ("en", "el", "it", "sk"):
        assert f'<option value="{code}"' in response.text


def test_visitor_switching_language_gets_pages_in_that_language(client):
    response = client.post(
        reverse("portal:set_language"), {"language": "it", "next": "/"}, follow=True
    )
    assert response.status_code == 200
    assert '<html lang="it">' in response.text


def test_logged_in_customer_switching_language_keeps_it_on_the_login(owner_client, owner):
    owner_client.post(reverse("portal:set_language"), {"language": "sk", "next": "/dashboard/"})
    owner.refresh_from_db()
    assert owner.language == "sk"
    assert owner.account_events.filter(kind="profile_changed").exists()


def test_language_switch_ignores_an_unknown_language(owner_client, owner):
    owner_client.post(reverse("portal:set_language"), {"language": "xx", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "en"


def test_language_switch_does_not_redirect_to_another_site(client):
    response = client.post(
        reverse("portal:set_language"), {"language": "el", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_language_is_changed_by_a_button_not_by_moving_through_the_choices(client):
    """Choosing in the select changes nothing until the button confirms it (WCAG 3.2.2):
    no script submits the form on change."""
    response = client.get(reverse("portal:home"))
    form = response.text.split('<form class="lang-switch"', 1)[1].split("</form>", 1)[0]
    assert '<select id="language-select" name="language">' in form
    assert '<button type="submit" class="button-small button-secondary">Change</button>' in form
    assert "data-autosubmit" not in response.text


def test_the_admin_header_and_title_are_in_the_language_of_the_page(client, settings):
    settings.SITE_NAME = "Hosting Help"
    response = client.get("/admin/login/", headers={"accept-language": "el"})
    assert '<html lang="el"' in response.text
    assert '<a href="/admin/">Hosting Help · Διαχείριση</a>' in response.text
    assert "<title>Σύνδεση | Hosting Help · Διαχείριση</title>" in response.text
