"""The system check that guards the key encrypting the PIN secrets."""

from supportpin.checks import check_field_encryption_key

VALID_KEY = "kGcHJ1X0c3z5b8nYkq3xV2s4d6f8h0j2l4n6p8r0t2w="
OTHER_VALID_KEY = "7cGmN2fNq0mHXhZ4S8f3e9ZTq0x3b6l2Jd1rPqWv9UE="


def production(settings, key: str) -> None:
    settings.DEBUG = False
    settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = False
    settings.FIELD_ENCRYPTION_KEY = key


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_check_fails_without_the_key_when_debug_is_off(settings):
    production(settings, "")
    assert ids(check_field_encryption_key(None)) == ["supportpin.E001"]


def test_check_fails_without_the_key_even_if_the_dev_fallback_is_left_on(settings):
    production(settings, "")
    settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = True
    assert ids(check_field_encryption_key(None)) == ["supportpin.E001"]


def test_development_may_run_without_the_key(settings):
    settings.DEBUG = True
    settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = True
    settings.FIELD_ENCRYPTION_KEY = ""
    assert check_field_encryption_key(None) == []


def test_a_valid_key_passes(settings):
    production(settings, VALID_KEY)
    assert check_field_encryption_key(None) == []


def test_rotated_keys_separated_by_commas_pass(settings):
    production(settings, f"{OTHER_VALID_KEY}, {VALID_KEY}")
    assert check_field_encryption_key(None) == []


def test_an_invalid_key_fails_without_being_echoed(settings):
    production(settings, f"{VALID_KEY},not-a-fernet-key")
    errors = check_field_encryption_key(None)
    assert ids(errors) == ["supportpin.E002"]
    assert "Key 2" in errors[0].msg
    assert "not-a-fernet-key" not in f"{errors[0].msg} {errors[0].hint}"


def test_the_check_is_registered_with_django(settings):
    from django.core.checks import run_checks

    production(settings, "")
    assert "supportpin.E001" in ids(run_checks())
