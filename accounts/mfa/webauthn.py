"""Passkeys and security keys through django-otp-webauthn, as a second factor only.

WebAuthn refuses an IP address as relying party: the RP ID is the host name the browser
used (`localhost` for `make run`), and the origins accepted are SITE_URL and the
request's own origin, whose host Django has checked against ALLOWED_HOSTS."""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from accounts.mfa.services import CodeRefused
from accounts.models import User

logger = logging.getLogger(__name__)

REGISTER_STATE_KEY = "two_factor_passkey_register"
AUTHENTICATE_STATE_KEY = "two_factor_passkey_authenticate"


def _host(request: HttpRequest) -> str:
    host = request.get_host()
    if host.startswith("["):
        return host[1 : host.index("]")]
    return host.rsplit(":", 1)[0]


def relying_party_id(request: HttpRequest) -> str:
    return _host(request)


def passkeys_possible(request: HttpRequest) -> bool:
    """False when the portal is opened by IP address, where browsers refuse passkeys."""
    try:
        ipaddress.ip_address(_host(request))
    except ValueError:
        return True
    return False


class PortalWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        scheme = "https" if self.request.is_secure() else "http"
        return [*settings.OTP_WEBAUTHN_ALLOWED_ORIGINS, f"{scheme}://{self.request.get_host()}"]


def _helper(request: HttpRequest) -> PortalWebAuthnHelper:
    return WebAuthnCredential.get_webauthn_helper(request=request)


def registration_begin(request: HttpRequest, user: User) -> dict:
    options, state = _helper(request).register_begin(user=user)
    request.session[REGISTER_STATE_KEY] = state
    return options


def registration_complete(request: HttpRequest, user: User, data: dict) -> Device:
    """The new credential, verified and saved; CodeRefused if the browser's answer does
    not match the challenge this session was given."""
    state = request.session.pop(REGISTER_STATE_KEY, None)
    request.session.save()
    if not state:
        raise CodeRefused(_("That took too long. Please try again."))
    try:
        with rewrite_exceptions(logger=None):
            return _helper(request).register_complete(user=user, state=state, data=data)
    except (OTPWebAuthnApiError, KeyError, TypeError, ValueError) as error:
        logger.info("Passkey registration refused: %s", error)
        raise CodeRefused(_("This passkey could not be added. Please try again.")) from error


def authentication_begin(request: HttpRequest, user: User) -> dict:
    options, state = _helper(request).authenticate_begin(user=user, require_user_verification=False)
    request.session[AUTHENTICATE_STATE_KEY] = state
    return options


def authentication_check(request: HttpRequest, user: User, data: dict) -> Device:
    """The passkey of `user` that signed this session's challenge; CodeRefused if none.
    The challenge is used once whatever the outcome."""
    state = request.session.pop(AUTHENTICATE_STATE_KEY, None)
    if not state:
        raise CodeRefused(_("That took too long. Please try again."))
    try:
        with rewrite_exceptions(logger=None):
            device = _helper(request).authenticate_complete(user=user, state=state, data=data)
    except (OTPWebAuthnApiError, KeyError, TypeError, ValueError) as error:
        logger.info("Passkey refused: %s", error)
        raise CodeRefused(_("This passkey was not accepted for this login.")) from error
    if not device.confirmed:
        raise CodeRefused(_("This passkey was not accepted for this login."))
    return device
