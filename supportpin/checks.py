"""System checks of the Support PIN's configuration."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register

from supportpin.crypto import configured_keys


@register()
def check_field_encryption_key(app_configs, **kwargs) -> list[Error]:
    """FIELD_ENCRYPTION_KEY must hold valid Fernet keys, and must be set whenever the
    portal may not fall back to the development key (DEBUG off): without it no PIN secret
    can be stored or read, and the failure would only show at the first activation."""
    keys = configured_keys()
    if not keys:
        if settings.DEBUG and settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY:
            return []
        return [
            Error(
                "FIELD_ENCRYPTION_KEY is not set.",
                hint="It encrypts the Support PIN secrets. Generate one with: python -c "
                "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
                id="supportpin.E001",
            )
        ]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            # The key itself is never echoed: only its position in the list.
            errors.append(
                Error(
                    f"Key {position} of FIELD_ENCRYPTION_KEY is not a valid Fernet key.",
                    hint="Each comma-separated key must be 32 bytes in url-safe base64 "
                    "(44 characters); the first encrypts, all decrypt.",
                    id="supportpin.E002",
                )
            )
    return errors
