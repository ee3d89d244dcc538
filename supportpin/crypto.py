"""Encryption at rest of the PIN secrets, with a key that is not in the database.

FIELD_ENCRYPTION_KEY holds one or more Fernet keys separated by commas: the first
encrypts, all decrypt, so keys can be rotated.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables


def configured_keys() -> list[str]:
    """The keys of FIELD_ENCRYPTION_KEY, the encrypting one first."""
    return [key.strip() for key in settings.FIELD_ENCRYPTION_KEY.split(",") if key.strip()]


@sensitive_variables()
def _fernet() -> MultiFernet:
    keys = configured_keys()
    if not keys:
        if not settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEY must be set when DEBUG is off: it encrypts the Support "
                "PIN secrets. Generate one with: python -c 'from cryptography.fernet import "
                "Fernet; print(Fernet.generate_key().decode())'"
            )
        digest = hashlib.sha256(f"supportpin:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


@sensitive_variables()
def encrypt_secret(secret: bytes) -> str:
    return _fernet().encrypt(secret).decode()


@sensitive_variables()
def decrypt_secret(token: str) -> bytes:
    return _fernet().decrypt(token.encode())


@sensitive_variables()
def reencrypt_secret(token: str) -> str:
    """The same secret encrypted with the first key (the one that encrypts now)."""
    return _fernet().rotate(token.encode()).decode()
