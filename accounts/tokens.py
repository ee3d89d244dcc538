"""Signed, expiring, single-use links for activation, email change and invitations.

A token carries the user's id and, for an email change, the new address, signed with the
SECRET_KEY and a purpose-specific salt. It also carries a digest of the state the action
changes (activation flag, password hash, email, last login), so that once the link has been
followed the state differs and the same link no longer works.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from accounts.models import User


def _state_digest(user: User) -> str:
    last_login = user.last_login.isoformat() if user.last_login else ""
    state = f"{user.pk}|{user.is_active}|{user.password}|{user.email.lower()}|{last_login}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class UserLinkToken:
    salt: str
    max_age: timedelta

    def make(self, user: User, **extra: str) -> str:
        payload = {"u": user.pk, "s": _state_digest(user), **extra}
        return signing.dumps(payload, salt=self.salt, compress=True)

    def check(self, token: str) -> tuple[User, dict] | None:
        """The user and the extra values of a valid token, or None."""
        try:
            payload = signing.loads(token, salt=self.salt, max_age=self.max_age)
        except signing.BadSignature:
            return None
        try:
            user = User.objects.get(pk=payload.pop("u"))
        except (User.DoesNotExist, KeyError, TypeError, ValueError):
            return None
        if not constant_time_compare(payload.pop("s", ""), _state_digest(user)):
            return None
        return user, payload


def activation_token() -> UserLinkToken:
    return UserLinkToken("accounts.activation", timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS))


def email_change_token() -> UserLinkToken:
    return UserLinkToken(
        "accounts.email-change", timedelta(hours=settings.ACCOUNT_EMAIL_CHANGE_HOURS)
    )


def invitation_token() -> UserLinkToken:
    return UserLinkToken("accounts.invitation", timedelta(days=settings.ACCOUNT_INVITATION_DAYS))
