"""The second factors, listed once: the Security page, the login's second step and the
staff rule all read this list."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import RecoveryCodeDevice, SmsDevice

CODE_DIGITS = 6
RECOVERY_CODE_LENGTH = 10
# What people type between groups of characters, or what a copy-paste brings along.
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")


@dataclass(frozen=True)
class Method:
    key: str
    label: Promise
    model: type[Device]
    # "code": typed in a form; "passkey": a WebAuthn ceremony in the browser.
    kind: str
    # Staff need a factor that no one can intercept on its way (not email, not SMS).
    staff_allowed: bool
    # Recovery codes back the others up: never the default, and gone with the last method.
    backup: bool = False
    prompt: Promise = _("Enter the code.")
    code_length: int = CODE_DIGITS
    # Methods whose code the portal sends (email, SMS): the button that asks for one.
    send_label: Promise | None = None


APP = Method(
    key="app",
    label=_("Authenticator app"),
    model=TOTPDevice,
    kind="code",
    staff_allowed=True,
    prompt=_("Enter the 6-digit code your authenticator app shows now."),
)
PASSKEY = Method(
    key="passkey",
    label=_("Passkey or security key"),
    model=WebAuthnCredential,
    kind="passkey",
    staff_allowed=True,
    prompt=_("Use your passkey or security key."),
)
EMAIL = Method(
    key="email",
    label=_("Code by email"),
    model=EmailDevice,
    kind="code",
    staff_allowed=False,
    prompt=_("Enter the 6-digit code we emailed to you."),
    send_label=_("Email me a code"),
)
SMS = Method(
    key="sms",
    label=_("Code by SMS"),
    model=SmsDevice,
    kind="code",
    staff_allowed=False,
    prompt=_("Enter the 6-digit code we sent by SMS to your mobile."),
    send_label=_("Text me a code"),
)
RECOVERY = Method(
    key="recovery",
    label=_("Recovery code"),
    model=RecoveryCodeDevice,
    kind="code",
    staff_allowed=True,
    backup=True,
    prompt=_("Enter one of your recovery codes. Each works once."),
    code_length=RECOVERY_CODE_LENGTH,
)

METHODS = (APP, PASSKEY, EMAIL, SMS, RECOVERY)


def method(key: str) -> Method | None:
    return next((m for m in METHODS if m.key == key), None)


def method_of(device: Device) -> Method:
    return next(m for m in METHODS if isinstance(device, m.model))


def normalize_code(typed: str) -> str:
    """The code without the spaces and dashes people type or paste, in lower case."""
    return _SEPARATORS.sub("", typed or "").lower()


def code_format_ok(m: Method, code: str) -> bool:
    """Whether `code` (normalised) has the shape of a code of method `m`."""
    if len(code) != m.code_length:
        return False
    if m is RECOVERY:
        return code.isascii() and code.isalnum()
    return code.isascii() and code.isdigit()
