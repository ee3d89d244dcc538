"""Reads of the Support PIN, each constant in queries."""

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import phonenumbers
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from portal.prepared import PreparedQuery
from sms.models import SmsMessage
from supportpin.crypto import decrypt_secret
from supportpin.models import AssistedAction, SupportPin, VerificationAttempt
from supportpin.pin import format_pin, pin_changes_at, support_pin_for
from tickets.models import Ticket


def may_use_support_pin(user: User) -> bool:
    """A customer's login whose owner allows it the Support PIN (owners always)."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_staff
        and user.has_customer_permission("can_use_support_pin")
    )


@dataclass(frozen=True)
class PinDisplay:
    pin: str
    changes_at: datetime
    seconds_left: int


def active_support_pin(user: User) -> SupportPin | None:
    return SupportPin.objects.filter(user_id=user.pk, is_active=True).first()


@sensitive_variables()
def pin_display(support_pin: SupportPin, at: datetime) -> PinDisplay:
    changes_at = pin_changes_at(at)
    return PinDisplay(
        pin=format_pin(support_pin_for(decrypt_secret(support_pin.encrypted_secret), at)),
        changes_at=changes_at,
        seconds_left=max(0, int((changes_at - at).total_seconds())),
    )


def pin_bar_for(user: User, at: datetime | None = None) -> PinDisplay | None:
    """What the bar shows to `user`, or None when it is not shown. One query when it is
    shown, none when it is not: the login carries whether its PIN is on."""
    if not may_use_support_pin(user) or not user.has_active_support_pin:
        return None
    support_pin = active_support_pin(user)
    if support_pin is None:
        return None
    return pin_display(support_pin, at or timezone.now())


def login_search(query: str, limit: int = 20) -> QuerySet[User]:
    """Customers' logins matching a contract number, username, email or mobile exactly
    (case-insensitive), for the agent's "Verify a caller" page."""
    query = query.strip()
    if not query:
        return User.objects.none()
    match = (
        Q(customer__contract_number__iexact=query)
        | Q(username__iexact=query)
        | Q(email__iexact=query)
    )
    try:
        number = phonenumbers.parse(query, settings.PHONE_DEFAULT_REGION)
        if phonenumbers.is_valid_number(number):
            match |= Q(
                mobile=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            )
    except phonenumbers.NumberParseException:
        pass
    return (
        User.objects.filter(match, is_staff=False, customer__isnull=False)
        .select_related("customer", "support_pin")
        .order_by("username")[:limit]
    )


def caller_for_agent(user_id: int) -> User | None:
    return (
        User.objects.filter(pk=user_id, is_staff=False, customer__isnull=False)
        .select_related("customer", "support_pin", "support_pin__verified_by")
        .first()
    )


def recent_sms_for(user: User, limit: int = 5) -> QuerySet[SmsMessage]:
    return SmsMessage.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def recent_actions_for(user: User, limit: int = 10) -> QuerySet[AssistedAction]:
    return (
        AssistedAction.objects.filter(user=user)
        .select_related("agent")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    verification: VerificationAttempt | None = None
    action: AssistedAction | None = None


def support_history_for(user: User, limit: int = 200) -> list[HistoryEntry]:
    """Every check of the login's PIN and every action recorded after one, newest first.
    Two queries."""
    attempts = VerificationAttempt.objects.filter(user=user).select_related("agent")[:limit]
    actions = AssistedAction.objects.filter(user=user).select_related("agent")[:limit]
    entries = chain(
        (HistoryEntry(at=a.created_at, verification=a) for a in attempts),
        (HistoryEntry(at=a.created_at, action=a) for a in actions),
    )
    # An action is recorded after its verification; at equal times it is listed first.
    return sorted(entries, key=lambda e: (e.at, e.action is not None), reverse=True)[:limit]


@dataclass(frozen=True)
class VerificationStatus:
    """Whether a login's caller is verified now, and the last successful check."""

    verified_now: bool
    last: VerificationAttempt | None


def verification_status_for(user: User, at: datetime | None = None) -> VerificationStatus:
    at = at or timezone.now()
    support_pin = SupportPin.objects.filter(user=user).first()
    return VerificationStatus(
        verified_now=bool(support_pin and support_pin.is_verified(at)), last=last_verification(user)
    )


_LAST_VERIFICATION = PreparedQuery(
    lambda shape, user_id: (
        VerificationAttempt.objects.filter(
            user_id=user_id, result=VerificationAttempt.Result.VERIFIED
        )
        .select_related("agent")
        .order_by("-created_at", "-id")
    )
)


def last_verification(user: User) -> VerificationAttempt | None:
    """The login's last successful check, with the agent who made it (from a statement
    prepared once: portal.prepared)."""
    found = _LAST_VERIFICATION.fetch(user_id=user.pk, limit=1)
    return found[0] if found else None


def verified_now_subquery(user: OuterRef, at: datetime) -> Exists:
    """SupportPin.is_verified(at) of the login `user` refers to, as a subquery of a query
    that reads the login anyway (the ticket page's ticket and its requester)."""
    return Exists(SupportPin.objects.filter(user=user, is_active=True, verified_until__gt=at))


def open_requests_of(user: User) -> list[Ticket]:
    """The caller's own requests still open, newest first: what a phone call is about."""
    return list(
        Ticket.objects.filter(requester=user, status__in=Ticket.ACTIVE_STATUSES).order_by(
            "-updated_at", "-id"
        )
    )
