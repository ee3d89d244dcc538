""" "Remember this browser": a signed cookie that lets one login skip the second step on
this browser for TWO_FACTOR_REMEMBER_DAYS.

The cookie names the login, a fingerprint of its password hash and its 2FA generation:
a password change, any change of a 2FA setting and "forget remembered browsers" all
make every such cookie worthless, without a table of remembered browsers."""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.mfa.selectors import two_factor_generation
from accounts.models import User

COOKIE_NAME = "portal_2fa_remember"
_SALT = "accounts.mfa.remember"


def _max_age() -> int:
    return settings.TWO_FACTOR_REMEMBER_DAYS * 24 * 60 * 60


def _fingerprint(user: User) -> str:
    # The password hash itself never leaves the server: the cookie is signed, not secret.
    return salted_hmac(_SALT, user.password).hexdigest()[:32]


def remember_browser(response: HttpResponse, user: User) -> None:
    value = signing.dumps(
        {"u": user.pk, "p": _fingerprint(user), "g": two_factor_generation(user)}, salt=_SALT
    )
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=_max_age(),
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def browser_remembered(request: HttpRequest, user: User) -> bool:
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return False
    try:
        data = signing.loads(value, salt=_SALT, max_age=_max_age())
    except signing.BadSignature:
        return False
    return (
        data.get("u") == user.pk
        and constant_time_compare(str(data.get("p", "")), _fingerprint(user))
        and data.get("g") == two_factor_generation(user)
    )
