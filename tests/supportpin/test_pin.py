"""The PIN arithmetic and the secret's encryption at rest."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from supportpin.crypto import decrypt_secret, encrypt_secret
from supportpin.forms import PinCheckForm
from supportpin.models import SupportPin
from supportpin.pin import (
    format_pin,
    normalize_pin,
    pin_accepted_until,
    pin_changes_at,
    pin_matches,
    support_pin_for,
)

SECRET = b"12345678901234567890"
ATHENS = ZoneInfo("Europe/Athens")


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2025, 6, 2, hour, minute, second, tzinfo=UTC)


def test_pin_is_six_digits():
    pin = support_pin_for(SECRET, at(9, 0))
    assert len(pin) == 6
    assert pin.isdigit()


def test_pin_is_the_rfc_6238_totp_with_a_30_minute_step():
    # RFC 4226 test vectors for this secret: counter 0 -> 755224, counter 1 -> 287082.
    assert support_pin_for(SECRET, datetime.fromtimestamp(1799, tz=UTC)) == "755224"
    assert support_pin_for(SECRET, datetime.fromtimestamp(1800, tz=UTC)) == "287082"


def test_pin_stays_the_same_within_a_half_hour():
    assert support_pin_for(SECRET, at(9, 0)) == support_pin_for(SECRET, at(9, 29, 59))
    assert support_pin_for(SECRET, at(9, 30)) == support_pin_for(SECRET, at(9, 59, 59))


def test_pin_changes_at_the_half_hour():
    assert support_pin_for(SECRET, at(9, 29, 59)) != support_pin_for(SECRET, at(9, 30))


def test_pin_changes_on_the_hour():
    assert support_pin_for(SECRET, at(9, 59, 59)) != support_pin_for(SECRET, at(10, 0))


@pytest.mark.parametrize("month", [1, 7], ids=["winter, UTC+2", "summer, UTC+3"])
def test_boundaries_fall_on_00_and_30_in_athens_time(month):
    local = datetime(2025, month, 15, 14, 12, tzinfo=ATHENS)
    assert pin_changes_at(local).astimezone(ATHENS).strftime("%H:%M") == "14:30"
    assert pin_changes_at(local + timedelta(minutes=20)).astimezone(ATHENS).strftime("%H:%M") == (
        "15:00"
    )


def test_previous_pin_is_accepted_and_the_one_before_it_refused():
    now = at(10, 5)
    current = support_pin_for(SECRET, now)
    previous = support_pin_for(SECRET, at(9, 45))
    before_previous = support_pin_for(SECRET, at(9, 15))
    assert pin_matches(SECRET, current, now)
    assert pin_matches(SECRET, previous, now)
    assert not pin_matches(SECRET, before_previous, now)


def test_next_window_pin_is_refused():
    assert not pin_matches(SECRET, support_pin_for(SECRET, at(10, 35)), at(10, 5))


def test_a_pin_read_just_before_the_half_hour_works_until_the_next_change():
    read_at = at(9, 29, 50)
    pin = support_pin_for(SECRET, read_at)
    assert pin_accepted_until(read_at) == at(10, 0)
    assert pin_matches(SECRET, pin, at(9, 59, 59))
    assert not pin_matches(SECRET, pin, at(10, 0))


def test_pin_read_aloud_with_spaces_matches():
    now = at(9, 0)
    assert pin_matches(SECRET, format_pin(support_pin_for(SECRET, now)), now)


def test_malformed_pins_never_match():
    for pin in ["", "12345", "1234567", "abcdef", "12 34 5"]:
        assert not pin_matches(SECRET, pin, at(9, 0))


def test_the_agents_form_and_the_check_read_a_pin_the_same_way():
    for typed, pin in [(" 482 913 ", "482913"), ("482\t913", "482913"), ("12345", None)]:
        assert normalize_pin(typed) == pin
        form = PinCheckForm({"pin": typed})
        assert form.is_valid() is (pin is not None)
        assert form.cleaned_data.get("pin") == pin


def test_a_pin_is_locked_for_a_while_or_until_a_new_pin():
    timed = SupportPin(locked_until=at(9, 30))
    assert timed.is_locked(at(9, 29, 59))
    assert not timed.is_locked(at(9, 30))
    assert SupportPin(hard_locked_at=at(8, 0)).is_locked(at(23, 0))
    assert not SupportPin().is_locked(at(9, 0))


def test_a_login_is_verified_until_its_time_runs_out_or_the_pin_is_switched_off():
    verified = SupportPin(is_active=True, verified_until=at(9, 15))
    assert verified.is_verified(at(9, 14, 59))
    assert not verified.is_verified(at(9, 15))
    assert not SupportPin(is_active=False, verified_until=at(9, 15)).is_verified(at(9, 0))
    assert not SupportPin(is_active=True).is_verified(at(9, 0))


def test_pin_is_grouped_in_threes_for_reading_aloud():
    assert format_pin("482913") == "482 913"


def test_secret_round_trips_through_encryption(settings):
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = encrypt_secret(SECRET)
    assert SECRET not in token.encode()
    assert decrypt_secret(token) == SECRET


def test_old_key_still_decrypts_after_rotation(settings):
    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old
    token = encrypt_secret(SECRET)
    settings.FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old}"
    assert decrypt_secret(token) == SECRET


def test_development_derives_a_key_from_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = True
    assert decrypt_secret(encrypt_secret(SECRET)) == SECRET


def test_without_a_key_and_debug_off_the_secret_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = False
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        encrypt_secret(SECRET)


def test_stored_secret_is_encrypted(owner_pin):
    from tests.factories import pin_of

    stored = SupportPin.objects.values_list("encrypted_secret", flat=True).get(pk=owner_pin.pk)
    secret = decrypt_secret(stored)
    assert secret not in stored.encode()
    assert pin_of(owner_pin.user) not in stored
