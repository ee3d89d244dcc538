"""A small limit on password guesses made from inside a session (e.g. the email change
form), where django-axes, which guards the login form, does not look."""

import time

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
MAX_FAILURES = 5


def _key(user_pk: int) -> str:
    # Counting in fixed windows keeps this one cache key per window and needs no clean-up;
    # at worst 2 * MAX_FAILURES guesses fit across a window boundary.
    return f"accounts:password-check:{user_pk}:{int(time.time() // WINDOW_SECONDS)}"


def password_checks_blocked(user_pk: int) -> bool:
    return (cache.get(_key(user_pk)) or 0) >= MAX_FAILURES


def password_check_failed(user_pk: int) -> None:
    key = _key(user_pk)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    cache.incr(key)
