"""The Support PIN arithmetic: RFC 6238 TOTP with a 30-minute step and 6 digits.

Windows start at Unix multiples of 1800 s, which fall on :00 and :30 of every hour in
every time zone whose offset is whole or half hours (Europe/Athens included). Nothing
rotates the PIN: it is a function of the secret and the time, passed in explicitly.
"""

import secrets
from datetime import UTC, datetime, timedelta

from django.utils.crypto import constant_time_compare
from django.views.decorators.debug import sensitive_variables
from django_otp.oath import TOTP

STEP_SECONDS = 1800
DIGITS = 6
SECRET_BYTES = 20


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


@sensitive_variables()
def _totp(secret: bytes, at: datetime) -> TOTP:
    totp = TOTP(secret, step=STEP_SECONDS, digits=DIGITS)
    totp.time = at.timestamp()
    return totp


# The secret and the PIN are hidden from error reports (tracebacks list locals).
@sensitive_variables()
def support_pin_for(secret: bytes, at: datetime) -> str:
    """The PIN valid in the window containing `at`, as a 6-digit string."""
    return f"{_totp(secret, at).token():0{DIGITS}d}"


def window_start(at: datetime) -> datetime:
    seconds = int(at.timestamp()) // STEP_SECONDS * STEP_SECONDS
    return datetime.fromtimestamp(seconds, tz=UTC)


def pin_changes_at(at: datetime) -> datetime:
    """When the PIN shown at `at` is replaced by the next one."""
    return window_start(at) + timedelta(seconds=STEP_SECONDS)


def pin_accepted_until(at: datetime) -> datetime:
    """When the PIN shown at `at` stops being accepted: the end of the following window,
    since verification also accepts the previous window's PIN."""
    return pin_changes_at(at) + timedelta(seconds=STEP_SECONDS)


@sensitive_variables()
def normalize_pin(text: str) -> str | None:
    """The PIN as typed or read out ("482 913"), without spaces; None when it cannot be
    a PIN."""
    pin = "".join(text.split())
    return pin if len(pin) == DIGITS and pin.isdigit() else None


@sensitive_variables()
def pin_matches(secret: bytes, pin: str, at: datetime) -> bool:
    """True for the PIN of the window containing `at` or of the one before it."""
    pin = normalize_pin(pin)
    if pin is None:
        return False
    previous = at - timedelta(seconds=STEP_SECONDS)
    # Both are compared, so the time taken does not tell which window matched.
    current_ok = constant_time_compare(support_pin_for(secret, at), pin)
    previous_ok = constant_time_compare(support_pin_for(secret, previous), pin)
    return current_ok or previous_ok


def format_pin(pin: str) -> str:
    """Grouped for reading aloud: "482 913"."""
    return f"{pin[:3]} {pin[3:]}"
