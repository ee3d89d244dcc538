"""Limits counted in the cache by django-ratelimit, for what django-axes (which guards the
login form) does not see:

- password guesses made from inside a session (the email and password change forms,
  confirming it is you): at most ACCOUNT_PASSWORD_CHECK_LIMIT wrong passwords in
  ACCOUNT_PASSWORD_CHECK_MINUTES per login;
- forms that send mail to an address the visitor types: at most
  MAIL_LIMIT_PER_RECIPIENT_HOUR mails an hour to one address and MAIL_LIMIT_PER_CLIENT_HOUR
  asked from one client address;
- registrations: at most REGISTRATION_LIMIT_PER_ADDRESS_HOUR an hour from one client
  address.

django-ratelimit counts in fixed windows of the period (their edges are staggered per key),
so at worst twice a limit fits across an edge; it needs no clean-up.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django_ratelimit.core import get_usage, is_ratelimited

_PASSWORD_CHECK_GROUP = "accounts.password-check"  # noqa: S105 (a counter's name)
_MAIL_RECIPIENT_GROUP = "accounts.mail.recipient"
_MAIL_CLIENT_GROUP = "accounts.mail.client"
_REGISTRATION_GROUP = "accounts.registration"


def password_check_minutes() -> int:
    """How long, at most, a login waits once it has given too many wrong passwords."""
    return settings.ACCOUNT_PASSWORD_CHECK_MINUTES


def password_checks_refusal() -> str:
    """What a login that has given too many wrong passwords is told."""
    minutes = password_check_minutes()
    return ngettext(
        "Too many wrong passwords. Please try again in %(minutes)d minute.",
        "Too many wrong passwords. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _password_check_usage(user_pk: int, *, increment: bool) -> dict | None:
    # Counted per login, whatever request asks: forms check without a request at hand, and
    # django-ratelimit needs one only to read keys from it, which a callable key does not.
    return get_usage(
        None,
        group=_PASSWORD_CHECK_GROUP,
        key=lambda _group, _request: str(user_pk),
        rate=(settings.ACCOUNT_PASSWORD_CHECK_LIMIT, password_check_minutes() * 60),
        increment=increment,
    )


def password_checks_blocked(user_pk: int) -> bool:
    usage = _password_check_usage(user_pk, increment=False)
    if usage is None:
        return False
    # should_limit alone also says "blocked" when the cache cannot be read.
    return usage["should_limit"] or usage["count"] >= settings.ACCOUNT_PASSWORD_CHECK_LIMIT


def password_check_failed(user_pk: int) -> None:
    _password_check_usage(user_pk, increment=True)


def mail_allowed(request: HttpRequest, *, to: str) -> bool:
    """Count one mail to `to` asked by this request's client; False once either the address
    or the client has had its share this hour. Callers then send nothing and answer as
    they would have: the page must not tell that a limit was reached, nor whether the
    address has a login (which is why every request counts, with a login or not)."""
    by_recipient = is_ratelimited(
        request,
        group=_MAIL_RECIPIENT_GROUP,
        key=lambda _group, _request: to.strip().lower(),
        rate=f"{settings.MAIL_LIMIT_PER_RECIPIENT_HOUR}/h",
        increment=True,
    )
    by_client = is_ratelimited(
        request,
        group=_MAIL_CLIENT_GROUP,
        key="ip",
        rate=f"{settings.MAIL_LIMIT_PER_CLIENT_HOUR}/h",
        increment=True,
    )
    return not (by_recipient or by_client)


def registration_allowed(request: HttpRequest) -> bool:
    """Count a registration from this request's client (a valid form, whether its address
    is new or known, so that the limit tells nothing about who has an account); False
    past REGISTRATION_LIMIT_PER_ADDRESS_HOUR in the hour."""
    return not is_ratelimited(
        request,
        group=_REGISTRATION_GROUP,
        key="ip",
        rate=f"{settings.REGISTRATION_LIMIT_PER_ADDRESS_HOUR}/h",
        increment=True,
    )


def registration_refused_message() -> str:
    return gettext(
        "Too many accounts have been registered from your network in the last hour. "
        "Please try again later."
    )
