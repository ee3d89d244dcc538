"""Changing the email address or the password, and regenerating the Support PIN, ask again
for the password (and, where two-factor authentication is on, a code) unless the login
proved who it is in the last REAUTH_MINUTES (ASVS 3.7.1)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from supportpin.models import SupportPin
from tests.factories import (
    PASSWORD,
    activate_pin,
    logged_in,
    logged_in_verified,
    totp_code,
    totp_device,
)

pytestmark = pytest.mark.django_db

REAUTH = reverse("accounts:reauthenticate")
EMAIL_CHANGE = reverse("accounts:email_change")
PASSWORD_CHANGE = reverse("accounts:password_change")
MOBILE_SERVICES = reverse("supportpin:mobile_services")
REGENERATE = reverse("supportpin:regenerate")
NEW_PASSWORD = "a-Brand-new-secret-77"


def reauth_url(next_path: str) -> str:
    return f"{REAUTH}?next={quote(next_path, safe='')}"


def later(minutes: int):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def owner_client(owner):
    with time_machine.travel(timezone.now(), tick=False):
        return logged_in(owner)


def test_the_email_change_long_after_logging_in_asks_for_the_password_first(
    owner_client, owner, mailoutbox
):
    with later(11):
        assert owner_client.get(EMAIL_CHANGE)["Location"] == reauth_url(EMAIL_CHANGE)
        refused = owner_client.post(
            EMAIL_CHANGE, {"new_email": "olga@new.example", "current_password": PASSWORD}
        )
        assert refused["Location"] == reauth_url(EMAIL_CHANGE)
        assert mailoutbox == []

        back = owner_client.post(reauth_url(EMAIL_CHANGE), {"password": PASSWORD})
        assert back["Location"] == EMAIL_CHANGE
        sent = owner_client.post(
            EMAIL_CHANGE, {"new_email": "olga@new.example", "current_password": PASSWORD}
        )
    assert sent.status_code == 200
    assert [m.to for m in mailoutbox] == [["olga@new.example"], [owner.email]]


def test_the_email_change_soon_after_logging_in_asks_nothing_more(owner_client):
    with later(9):
        response = owner_client.get(EMAIL_CHANGE)
    assert response.status_code == 200
    assert 'for="id_new_email"' in response.text


def test_the_password_change_long_after_logging_in_asks_for_the_password_first(owner_client, owner):
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    with later(11):
        assert owner_client.get(PASSWORD_CHANGE)["Location"] == reauth_url(PASSWORD_CHANGE)
        assert owner_client.post(PASSWORD_CHANGE, data)["Location"] == reauth_url(PASSWORD_CHANGE)
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)

        owner_client.post(reauth_url(PASSWORD_CHANGE), {"password": PASSWORD})
        done = owner_client.post(PASSWORD_CHANGE, data)
    assert done["Location"] == reverse("accounts:profile")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_with_two_factor_on_the_password_change_also_asks_for_a_code(owner):
    device = totp_device(owner)
    with time_machine.travel(timezone.now(), tick=False):
        client = logged_in_verified(owner)
    with later(11):
        page = client.get(client.get(PASSWORD_CHANGE)["Location"])
        assert "This change needs your password again and a code." in page.text
        assert 'name="code"' in page.text
        without_code = client.post(reauth_url(PASSWORD_CHANGE), {"password": PASSWORD})
        assert without_code.status_code == 400
        assert client.get(PASSWORD_CHANGE)["Location"] == reauth_url(PASSWORD_CHANGE)

        done = client.post(
            reauth_url(PASSWORD_CHANGE), {"password": PASSWORD, "code": totp_code(device)}
        )
        assert done["Location"] == PASSWORD_CHANGE
        assert client.get(PASSWORD_CHANGE).status_code == 200


def test_regenerating_the_support_pin_long_after_logging_in_asks_for_the_password_first(
    owner_client, owner
):
    activate_pin(owner)
    secret = SupportPin.objects.get(user=owner).encrypted_secret
    referer = f"http://testserver{MOBILE_SERVICES}"
    with later(11):
        refused = owner_client.post(REGENERATE, HTTP_REFERER=referer)
        assert refused["Location"] == reauth_url(MOBILE_SERVICES)
        assert SupportPin.objects.get(user=owner).encrypted_secret == secret

        back = owner_client.post(reauth_url(MOBILE_SERVICES), {"password": PASSWORD})
        assert back["Location"] == MOBILE_SERVICES
        assert owner_client.post(REGENERATE, HTTP_REFERER=referer)["Location"] == MOBILE_SERVICES
    assert SupportPin.objects.get(user=owner).encrypted_secret != secret


def test_a_form_posted_from_another_site_comes_back_to_its_own_address(owner_client, owner):
    activate_pin(owner)
    with later(11):
        response = owner_client.post(REGENERATE, HTTP_REFERER="https://evil.example/x")
    assert response["Location"] == reauth_url(REGENERATE)


def test_wrong_passwords_when_confirming_it_is_you_are_limited(owner_client, settings):
    settings.ACCOUNT_PASSWORD_CHECK_LIMIT = 2
    with later(11):
        for _ in range(2):
            owner_client.post(reauth_url(EMAIL_CHANGE), {"password": "guess-guess-1"})
        blocked = owner_client.post(reauth_url(EMAIL_CHANGE), {"password": PASSWORD})

    assert blocked.status_code == 429
    assert "Too many wrong passwords. Please try again in 15 minutes." in blocked.text
