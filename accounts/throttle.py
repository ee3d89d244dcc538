"""Small limits kept in the cache.

A limit on password guesses made from inside a session (e.g. the email change
form), where django-axes, which guards the login form, does not look: at most
ACCOUNT_PASSWORD_CHECK_LIMIT wrong passwords in ACCOUNT_PASSWORD_CHECK_MINUTES. And a
limit on registrations from one client address: REGISTRATION_LIMIT_PER_ADDRESS_HOUR."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext


def password_check_minutes() -> int:
    """How long, at most, a login waits once it has given too many wrong passwords."""
    return settings.ACCOUNT_PASSWORD_CHECK_MINUTES


def _window_seconds() -> int:
    return password_check_minutes() * 60


def _key(user_pk: int) -> str:
    # Counting in fixed windows keeps this one cache key per window and needs no clean-up;
    # at worst twice the limit of guesses fit across a window boundary.
    window = _window_seconds()
    return f"accounts:password-check:{user_pk}:{window}:{int(time.time() // window)}"


def password_checks_blocked(user_pk: int) -> bool:
    return (cache.get(_key(user_pk)) or 0) >= settings.ACCOUNT_PASSWORD_CHECK_LIMIT


def password_check_failed(user_pk: int) -> None:
    key = _key(user_pk)
    cache.add(key, 0, timeout=_window_seconds())
    cache.incr(key)


def _registration_key(ip_address: str | None) -> str:
    hour = int(time.time() // 3600)
    return f"accounts:registrations:{ip_address or 'unknown'}:{hour}"


def registration_allowed(ip_address: str | None) -> bool:
    """Count a registration (a valid form, whether its address is new or known, so that
    the limit tells nothing about who has an account) from `ip_address`; False past
    REGISTRATION_LIMIT_PER_ADDRESS_HOUR in the current hour."""
    key = _registration_key(ip_address)
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) <= settings.REGISTRATION_LIMIT_PER_ADDRESS_HOUR


def registration_refused_message() -> str:
    return gettext(
        "Too many accounts have been registered from your network in the last hour. "
        "Please try again later."
    )
