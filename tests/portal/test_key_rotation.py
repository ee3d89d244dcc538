"""Rotating SECRET_KEY and FIELD_ENCRYPTION_KEY logs nobody out, breaks no mailed link and
loses no Support PIN (README, "Rotating the keys")."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.urls import reverse

from supportpin.crypto import decrypt_secret
from supportpin.models import SupportPin
from tests.factories import activate_pin, link_in, logged_in, pin_of

pytestmark = pytest.mark.django_db

OLD_KEY = "old-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"
NEW_KEY = "new-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-9876543210"


def test_a_new_secret_key_with_the_old_one_as_fallback_keeps_sessions_and_mailed_links(
    settings, owner, mailoutbox
):
    settings.SECRET_KEY = OLD_KEY
    client = logged_in(owner)
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    reset_link = link_in(mailoutbox[0], "/accounts/password/reset/")

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    assert client.get(reverse("portal:dashboard")).status_code == 200
    reset_page = client.get(reset_link, follow=True)
    assert "new_password1" in reset_page.text


def test_without_the_fallback_the_old_sessions_end(settings, owner):
    settings.SECRET_KEY = OLD_KEY
    client = logged_in(owner)

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = []

    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_new_field_key_first_keeps_every_pin_and_reencrypting_lets_the_old_key_go(
    settings, owner
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old
    activate_pin(owner)
    pin = pin_of(owner)

    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"
    assert pin_of(owner) == pin
    call_command("reencrypt_pin_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEY = new
    assert pin_of(owner) == pin
    settings.FIELD_ENCRYPTION_KEY = old
    with pytest.raises(InvalidToken):
        decrypt_secret(SupportPin.objects.get(user=owner).encrypted_secret)
