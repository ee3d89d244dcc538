"""Every write of the Support PIN: one transaction each, an audit row with the acting
user (PinEvent, VerificationAttempt, AssistedAction), emails and SMS sent after commit."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from portal.exceptions import Refusal
from portal.mail import email_user
from sms.models import SmsMessage
from sms.services import sms_inbound_record, sms_queue
from supportpin.crypto import decrypt_secret, encrypt_secret, reencrypt_secret
from supportpin.models import AssistedAction, PinEvent, SupportPin, VerificationAttempt
from supportpin.pin import new_secret, pin_accepted_until, pin_matches
from supportpin.selectors import may_use_support_pin
from supportpin.sms import SMS_PURPOSE, masked_pin_sms_text
from tickets.models import Category, Priority, Ticket
from tickets.services import ticket_create, ticket_system_message_add

Result = VerificationAttempt.Result


class SupportPinUnavailable(Refusal):
    """The action needs an active Support PIN and a registered mobile; `message` says why."""


class VerificationRequired(Exception):
    """Actions can be recorded only while the login's verification is current."""


def _event(*, user: User, kind: str, actor: User | None, ip_address: str | None) -> PinEvent:
    return PinEvent.objects.create(user=user, kind=kind, actor=actor, ip_address=ip_address)


def _locked_pin(user: User) -> SupportPin | None:
    return SupportPin.objects.select_for_update().filter(user=user).first()


def _active_flag_set(user: User, value: bool) -> None:
    """The login's copy of whether its PIN is on, read by the bar on every page."""
    User.objects.filter(pk=user.pk).update(has_active_support_pin=value)
    user.has_active_support_pin = value


@transaction.atomic
def support_pin_activate(
    *, user: User, acting_user: User, ip_address: str | None = None
) -> SupportPin:
    """Switch the PIN on with a fresh secret. The login needs a mobile number (a new one
    is verified first, see accounts.mobile.services); one saved before verification
    existed still activates the PIN, which is then sent by SMS once the number is
    verified."""
    if not may_use_support_pin(user):
        raise PermissionDenied
    if not user.mobile:
        raise SupportPinUnavailable(_("A mobile number is needed to activate the Support PIN."))
    now = timezone.now()
    support_pin = _locked_pin(user) or SupportPin(user=user, activated_at=now)
    _replace_secret(support_pin, now=now)
    support_pin.is_active = True
    support_pin.activated_at = now
    support_pin.save()
    _active_flag_set(user, True)
    _event(user=user, kind=PinEvent.Kind.ACTIVATED, actor=acting_user, ip_address=ip_address)
    return support_pin


@transaction.atomic
def support_pin_deactivate(*, user: User, acting_user: User, ip_address: str | None = None) -> None:
    support_pin = _locked_pin(user)
    if support_pin is None or not support_pin.is_active:
        return
    support_pin.is_active = False
    support_pin.verified_until = None
    support_pin.save(update_fields=["is_active", "verified_until"])
    _active_flag_set(user, False)
    _event(user=user, kind=PinEvent.Kind.DEACTIVATED, actor=acting_user, ip_address=ip_address)


@transaction.atomic
def support_pin_regenerate(
    *, user: User, acting_user: User, ip_address: str | None = None
) -> SupportPin:
    """Replace the secret: the PIN shown a moment ago stops working at once, and both
    locks are lifted, since whatever was guessed is now worthless."""
    support_pin = _locked_pin(user)
    if support_pin is None or not support_pin.is_active:
        raise SupportPinUnavailable(_("The Support PIN is not active."))
    _replace_secret(support_pin, now=timezone.now())
    support_pin.save()
    _event(user=user, kind=PinEvent.Kind.REGENERATED, actor=acting_user, ip_address=ip_address)
    return support_pin


def _replace_secret(support_pin: SupportPin, *, now: datetime) -> None:
    support_pin.encrypted_secret = encrypt_secret(new_secret())
    support_pin.secret_changed_at = now
    support_pin.failure_count = 0
    support_pin.failures_counted_since = now
    support_pin.locked_until = None
    support_pin.hard_locked_at = None


def _agent_is_throttled(agent: User, now: datetime) -> bool:
    failures = VerificationAttempt.objects.filter(
        agent=agent, result=Result.WRONG_PIN, created_at__gte=now - timedelta(hours=1)
    ).count()
    return failures >= settings.SUPPORT_PIN_AGENT_FAILURES_PER_HOUR


# Every frame below this one is hidden from error reports too, since the PIN is passed down.
@sensitive_variables()
@transaction.atomic
def support_pin_verify(
    *, user: User, pin: str, agent: User, ip_address: str | None = None
) -> VerificationAttempt:
    """Check the PIN a caller reads out for `user`, and record the attempt.

    Success burns the PIN (new secret) and marks the login verified for every agent.
    Failures count per login, whoever the agent: SUPPORT_PIN_SOFT_LOCK_FAILURES within
    SUPPORT_PIN_SOFT_LOCK_MINUTES lock verification for that long;
    SUPPORT_PIN_HARD_LOCK_FAILURES without a success lock it until the customer generates
    a new PIN.
    """
    # The agent's row is locked before the login's, always in that order: the agent's
    # requests are serialised, so two at once cannot both pass the hourly throttle, and
    # the login's are too, so the lock counters and the burn on success are exact.
    User.objects.select_for_update().filter(pk=agent.pk).first()
    support_pin = _locked_pin(user)
    now = timezone.now()

    def attempt(result: str) -> VerificationAttempt:
        return VerificationAttempt.objects.create(
            user=user, agent=agent, result=result, ip_address=ip_address
        )

    if support_pin is None or not support_pin.is_active:
        return attempt(Result.NOT_ACTIVE)
    if support_pin.is_locked(now):
        return attempt(Result.LOCKED)
    if _agent_is_throttled(agent, now):
        return attempt(Result.AGENT_THROTTLED)
    if pin_matches(decrypt_secret(support_pin.encrypted_secret), pin, now):
        _replace_secret(support_pin, now=now)
        support_pin.verified_until = now + timedelta(minutes=settings.SUPPORT_PIN_VERIFIED_MINUTES)
        support_pin.verified_by = agent
        support_pin.save()
        return attempt(Result.VERIFIED)

    failed = attempt(Result.WRONG_PIN)
    support_pin.failure_count += 1
    since = max(
        now - timedelta(minutes=settings.SUPPORT_PIN_SOFT_LOCK_MINUTES),
        support_pin.failures_counted_since,
    )
    recent = VerificationAttempt.objects.filter(
        user=user, result=Result.WRONG_PIN, created_at__gte=since
    ).count()
    if support_pin.failure_count >= settings.SUPPORT_PIN_HARD_LOCK_FAILURES:
        support_pin.hard_locked_at = now
        _event(user=user, kind=PinEvent.Kind.HARD_LOCKED, actor=agent, ip_address=ip_address)
        _email_lock(user=user, template="supportpin/email/hard_locked", until=None)
    elif recent >= settings.SUPPORT_PIN_SOFT_LOCK_FAILURES:
        support_pin.locked_until = now + timedelta(minutes=settings.SUPPORT_PIN_SOFT_LOCK_MINUTES)
        support_pin.failures_counted_since = support_pin.locked_until
        _event(user=user, kind=PinEvent.Kind.LOCKED, actor=agent, ip_address=ip_address)
        _email_lock(user=user, template="supportpin/email/locked", until=support_pin.locked_until)
    support_pin.save()
    return failed


def _email_lock(*, user: User, template: str, until: datetime | None) -> None:
    email_user(
        user,
        template,
        until=timezone.localtime(until) if until else None,
        minutes=settings.SUPPORT_PIN_SOFT_LOCK_MINUTES,
        panel_url=f"{settings.SITE_URL}{reverse('supportpin:mobile_services')}",
    )


@transaction.atomic
def support_pin_sms_request(
    *, user: User, acting_user: User | None, ip_address: str | None = None
) -> SmsMessage:
    """Queue an SMS with the current PIN to the login's verified mobile, and nowhere else.

    Raises SupportPinUnavailable, or sms.services.SmsRefused when a limit forbids it.
    The PIN itself is put in the text only by the task, at send time.
    """
    support_pin = SupportPin.objects.filter(user=user, is_active=True).first()
    if support_pin is None:
        raise SupportPinUnavailable(_("The Support PIN is not active for this login."))
    if not user.mobile:
        raise SupportPinUnavailable(_("This login has no registered mobile number."))
    if not user.has_verified_mobile:
        raise SupportPinUnavailable(
            _("The mobile number of this login is not verified yet: no PIN is sent to it.")
        )
    now = timezone.now()
    sms = sms_queue(
        to=user.mobile,
        purpose=SMS_PURPOSE,
        body=masked_pin_sms_text(user=user, at=now),
        user=user,
        requested_by=acting_user,
        ip_address=ip_address,
        expires_at=pin_accepted_until(now),
    )
    _event(user=user, kind=PinEvent.Kind.SMS_REQUESTED, actor=acting_user, ip_address=ip_address)
    return sms


@transaction.atomic
def support_pin_sms_inbound(*, provider_sid: str, from_number: str, text: str) -> int:
    """A text to the provider's number: "PIN" from a verified mobile with an active PIN
    gets the PIN back, under the same limits. Returns how many SMS were queued; the
    sender is told nothing either way. A message received before (the same provider
    message ID) is not answered again."""
    if not sms_inbound_record(provider_sid=provider_sid, from_number=from_number):
        return 0
    if text.strip().upper() != "PIN" or not from_number:
        return 0
    queued = 0
    owners = User.objects.filter(
        mobile=from_number,
        mobile_verified_at__isnull=False,
        is_active=True,
        is_staff=False,
        support_pin__is_active=True,
    )
    for user in owners:
        if not may_use_support_pin(user):
            continue
        try:
            support_pin_sms_request(user=user, acting_user=user)
        except Refusal:
            continue
        queued += 1
    return queued


@transaction.atomic
def assisted_action_record(
    *,
    user: User,
    agent: User,
    kind: str,
    detail: str,
    ticket: Ticket | None = None,
    new_request_category: Category | None = None,
) -> AssistedAction:
    """Record what an agent did for a verified caller, and email the customer about it.

    Tied to one of the caller's requests (`ticket`), or to a new one opened in
    `new_request_category`, the action also appears in that request's thread, in the
    customer's language, and in its history."""
    now = timezone.now()
    # Locked so that an action cannot slip in beside a deactivation or a new secret.
    support_pin = _locked_pin(user)
    verification = (
        VerificationAttempt.objects.filter(user=user, result=Result.VERIFIED)
        .order_by("-created_at", "-id")
        .first()
    )
    if support_pin is None or verification is None or not support_pin.is_verified(now):
        raise VerificationRequired
    kind_label = AssistedAction.Kind(kind).label
    if new_request_category is not None:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = str(kind_label)
        ticket = ticket_create(
            requester=user,
            subject=subject,
            description=detail,
            category=new_request_category,
            priority=Priority.NORMAL,
        )
    action = AssistedAction.objects.create(
        user=user, agent=agent, verification=verification, kind=kind, detail=detail, ticket=ticket
    )
    if ticket is not None:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            body = gettext(
                "%(agent)s did this after checking your Support PIN by phone: %(kind)s."
            ) % {"agent": agent.get_short_name(), "kind": kind_label}
        ticket_system_message_add(
            ticket=ticket, actor=agent, body=f"{body}\n\n{detail}", event_value=kind
        )
    email_user(
        user,
        "supportpin/email/action_recorded",
        action=action,
        kind=action.get_kind_display(),
        agent_name=agent.get_short_name(),
        when=timezone.localtime(action.created_at),
        history_url=f"{settings.SITE_URL}{reverse('supportpin:history')}",
    )
    return action


def support_pin_secrets_reencrypt() -> int:
    """After a new key is put first in FIELD_ENCRYPTION_KEY: encrypt every PIN secret with
    it, so that the old key can be removed. A secret replaced meanwhile (a regenerated PIN)
    is left as its writer made it. The PINs do not change. Returns how many were rewritten.
    """
    rewritten = 0
    rows = SupportPin.objects.values_list("pk", "encrypted_secret").order_by("pk")
    for pk, token in rows.iterator(chunk_size=500):
        fresh = reencrypt_secret(token)
        if fresh != token:
            rewritten += SupportPin.objects.filter(pk=pk, encrypted_secret=token).update(
                encrypted_secret=fresh
            )
    return rewritten
