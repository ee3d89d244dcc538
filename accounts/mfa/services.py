"""Every write of two-factor authentication: one transaction each, an AccountEvent with
the acting user, and a new generation on each change of a setting (which revokes the
browsers remembered until then)."""

import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import device_classes
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.activity.services import security_notice_send, sessions_end_others
from accounts.codes import new_nonce
from accounts.mfa import methods
from accounts.mfa.methods import Method, code_format_ok, method_of, normalize_code
from accounts.mfa.selectors import primary_methods, second_step_required
from accounts.mobile import texts
from accounts.models import (
    AccountEvent,
    RecoveryCode,
    RecoveryCodeDevice,
    SmsDevice,
    TwoFactorState,
    User,
)
from portal.exceptions import Refusal
from portal.mail import email_user
from sms.services import sms_queue

# No 0/o, 1/i/l: recovery codes are read from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class CodeRefused(Refusal):
    """A code (or passkey) that is not accepted: mistyped, expired, used, or not this
    login's."""


class SecondStepLocked(Refusal):
    """Too many refused codes in a row: the second step waits."""


def locked_message() -> str:
    minutes = settings.TWO_FACTOR_LOCK_MINUTES
    return ngettext(
        "Too many wrong codes. For your security, the second step is locked for "
        "%(minutes)s minute, and we have emailed you about it.",
        "Too many wrong codes. For your security, the second step is locked for "
        "%(minutes)s minutes, and we have emailed you about it.",
        minutes,
    ) % {"minutes": minutes}


def _record(
    *, user: User, kind: str, actor: User | None, ip_address: str | None = None, **detail: object
) -> AccountEvent:
    return AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, detail=detail, ip_address=ip_address
    )


def _state(user: User, *, for_update: bool = False) -> TwoFactorState:
    TwoFactorState.objects.get_or_create(user=user)
    rows = TwoFactorState.objects.select_for_update() if for_update else TwoFactorState.objects
    return rows.get(user=user)


def _settings_changed(user: User) -> None:
    """A 2FA setting changed: browsers remembered until now give a code again."""
    _state(user)
    TwoFactorState.objects.filter(user=user).update(generation=F("generation") + 1)


# --- The login's copy of "has a second factor" ----------------------------------------
#
# User.has_second_factor lets every page know, without asking the device tables, whether
# a session that has not given its second step must give it. Devices are written by our
# services, but also by django-otp's admin and django-otp-webauthn's views, which call
# none of them: so the copy follows every save and delete of a device (receivers
# connected in accounts.apps), whoever makes it.


def _flag_set(device: Device, value: bool) -> None:
    User.objects.filter(pk=device.user_id).update(has_second_factor=value)
    if type(device).user.is_cached(device):
        device.user.has_second_factor = value


def second_factor_flag_refresh(*, device: Device) -> None:
    """Copy onto the device's login whether it has a confirmed device now."""
    with transaction.atomic():
        # The login's row is locked before the devices are read, so that two changes of
        # its devices at once (one confirmed, one removed) take turns and the second
        # reads what the first wrote.
        User.objects.select_for_update().filter(pk=device.user_id).values_list("pk").first()
        _flag_set(device, second_step_required(device.user_id))


def device_saved(sender: type[Device], instance: Device, **kwargs: object) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "confirmed" not in update_fields:
        return  # a code checked, a counter moved: the device is as confirmed as it was
    if instance.confirmed:
        # Written even when already on: the row's lock makes a removal of another device
        # at the same time wait for this one, and then see it.
        _flag_set(instance, True)
    else:
        second_factor_flag_refresh(device=instance)


def device_deleted(sender: type[Device], instance: Device, **kwargs: object) -> None:
    second_factor_flag_refresh(device=instance)


# --- Checking codes -------------------------------------------------------------------


def _totp_reused(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is one the app showed for a time step already used to log in."""
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + offset * device.step
        if totp.t() <= device.last_t and f"{totp.token():0{device.digits}d}" == code:
            return True
    return False


def _verify(devices: list[Device], m: Method, typed: str) -> Device:
    """The device among `devices` that accepts the code `typed`, or CodeRefused."""
    code = normalize_code(typed)
    if not code_format_ok(m, code):
        if m is methods.RECOVERY:
            raise CodeRefused(
                _("A recovery code has %(length)s letters and digits, like abcde-23456.")
                % {"length": m.code_length}
            )
        raise CodeRefused(
            _("A code has %(length)s digits and no letters, like 123 456.")
            % {"length": m.code_length}
        )
    waits = []
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            waits.append(info.get("locked_until") if info else None)
            continue
        if device.verify_token(code):
            return device
        if isinstance(device, TOTPDevice) and _totp_reused(device, code):
            raise CodeRefused(
                _("This code has already been used. Wait for the next code in your app.")
            )
    if waits and len(waits) == len(devices):
        until = max((w for w in waits if w), default=timezone.now())
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
        raise CodeRefused(
            _("Too many attempts in a row. Wait %(seconds)s seconds, then try again.")
            % {"seconds": seconds}
        )
    raise CodeRefused(_("This code is not valid. It may be mistyped, expired or already used."))


def code_check(*, user: User, m: Method, typed: str) -> Device:
    """The confirmed device of method `m` of `user` that accepts `typed`; CodeRefused
    if none does. Uncounted: callers that guard a login count through
    `second_step_verify`."""
    with transaction.atomic():
        devices = list(m.model.objects.devices_for_user(user, confirmed=True).select_for_update())
        try:
            return _verify(devices, m, typed)
        except CodeRefused as refusal:
            error = refusal
    # Raised outside the transaction, so that the device's throttling is kept.
    raise error


def any_code_check(*, user: User, typed: str) -> Device:
    """A code of any of the login's code methods (app, email, recovery)."""
    refusal = None
    for m in primary_methods(user) + [methods.RECOVERY]:
        if m.kind != "code":
            continue
        if not code_format_ok(m, normalize_code(typed)):
            continue
        try:
            return code_check(user=user, m=m, typed=typed)
        except CodeRefused as error:
            refusal = error
    raise refusal or CodeRefused(
        _("This code is not valid. It may be mistyped, expired or already used.")
    )


def second_step_verify(
    *, user: User, check: Callable[[], Device], ip_address: str | None = None
) -> Device:
    """Run `check` (a code or a passkey) for the second step of `user`'s login.

    Every refusal counts against the login, whichever device it was meant for: after
    TWO_FACTOR_FAILURE_LIMIT in a row the second step is locked for
    TWO_FACTOR_LOCK_MINUTES and the login's owner is emailed."""
    with transaction.atomic():
        state = _state(user, for_update=True)
        if state.is_locked(timezone.now()):
            refusal: Refusal | None = SecondStepLocked(locked_message())
        else:
            refusal = None
            try:
                device = check()
            except CodeRefused as error:
                refusal = error
                state.failures += 1
                if state.failures >= settings.TWO_FACTOR_FAILURE_LIMIT:
                    _lock(state, ip_address=ip_address)
                    refusal = SecondStepLocked(locked_message())
            else:
                state.failures = 0
            state.save(update_fields=["failures", "locked_until"])
    if refusal is not None:
        raise refusal
    return device


def _lock(state: TwoFactorState, *, ip_address: str | None) -> None:
    state.failures = 0
    state.locked_until = timezone.now() + timedelta(minutes=settings.TWO_FACTOR_LOCK_MINUTES)
    _record(
        user=state.user,
        kind=AccountEvent.Kind.TWO_FACTOR_LOCKED,
        actor=None,
        ip_address=ip_address,
    )
    email_user(
        state.user,
        "accounts/email/two_factor_locked",
        failures=settings.TWO_FACTOR_FAILURE_LIMIT,
        minutes=settings.TWO_FACTOR_LOCK_MINUTES,
        ip_address=ip_address or "",
    )


def second_step_locked(user: User) -> bool:
    state = TwoFactorState.objects.filter(user=user).first()
    return state is not None and state.is_locked(timezone.now())


# --- Adding and removing methods ------------------------------------------------------


@transaction.atomic
def authenticator_app_start(*, user: User) -> TOTPDevice:
    """A new authenticator app, unconfirmed: it counts once a code from it is entered."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def email_codes_start(*, user: User) -> EmailDevice:
    """Email codes to the registered address, unconfirmed until the first one is entered."""
    EmailDevice.objects.filter(user=user, confirmed=False).delete()
    device = EmailDevice.objects.create(user=user, name="Email", confirmed=False)
    email_code_send(device=device)
    return device


def email_code_send(*, device: EmailDevice) -> bool:
    """Email a fresh code to the login's registered address (never `device.email`); False
    while the previous one is too recent to send another."""
    allowed, _info = device.generate_is_allowed()
    if not allowed:
        return False
    with transaction.atomic():
        device.generate_token(valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY)
        device.cooldown_set()
        email_user(
            device.user,
            "accounts/email/two_factor_code",
            code=f"{device.token[:3]} {device.token[3:]}",
            minutes=settings.OTP_EMAIL_TOKEN_VALIDITY // 60,
        )
    return True


class NoVerifiedMobile(Refusal):
    """Codes by SMS need a verified mobile number."""


def _no_verified_mobile() -> NoVerifiedMobile:
    return NoVerifiedMobile(
        _("Codes by SMS need a verified mobile number. Add or verify it on your profile first.")
    )


@transaction.atomic
def sms_codes_start(*, user: User, ip_address: str | None = None) -> SmsDevice:
    """Codes by SMS to the verified mobile, unconfirmed until the first one is entered.
    Raises NoVerifiedMobile, or SmsRefused past a limit of the gateway."""
    if not user.has_verified_mobile:
        raise _no_verified_mobile()
    SmsDevice.objects.filter(user=user, confirmed=False).delete()
    device = SmsDevice.objects.create(user=user, name="SMS", confirmed=False)
    sms_code_send(device=device, ip_address=ip_address)
    return device


def sms_code_send(*, device: SmsDevice, ip_address: str | None = None) -> bool:
    """Text a fresh code to the login's verified mobile (the earlier one stops working);
    False while the previous one is too recent to send another. Raises NoVerifiedMobile,
    or SmsRefused past a limit of the gateway."""
    user = device.user
    if not user.has_verified_mobile:
        raise _no_verified_mobile()
    allowed, _info = device.generate_is_allowed()
    if not allowed:
        return False
    with transaction.atomic():
        device.nonce = new_nonce()
        device.valid_until = timezone.now() + timedelta(
            minutes=settings.TWO_FACTOR_SMS_CODE_MINUTES
        )
        device.last_generated_timestamp = timezone.now()
        device.save(update_fields=["nonce", "valid_until", "last_generated_timestamp"])
        sms_queue(
            to=user.mobile,
            purpose=texts.TWO_FACTOR_CODE,
            body=texts.two_factor_code_text(language=user.language, code=texts.MASKED_CODE),
            user=user,
            requested_by=user,
            ip_address=ip_address,
            expires_at=device.valid_until,
        )
    return True


def code_send(*, device: Device, ip_address: str | None = None) -> bool:
    """Send a code of a method whose codes the portal sends (email, SMS); False while
    the previous one is too recent. Raises a Refusal when it cannot be sent."""
    if isinstance(device, SmsDevice):
        return sms_code_send(device=device, ip_address=ip_address)
    return email_code_send(device=device)


def device_confirm(
    *, device: Device, typed: str, acting_user: User, ip_address: str | None = None
) -> list[str] | None:
    """Confirm a new device by a code from it (CodeRefused otherwise). Returns the
    recovery codes when this is the login's first method: they are shown once."""
    m = method_of(device)
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        try:
            _verify([locked], m, typed)
        except CodeRefused as refusal:
            error = refusal
        else:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            return _method_added(locked, acting_user=acting_user, ip_address=ip_address)
    raise error


@transaction.atomic
def passkey_added(
    *, device: Device, name: str, acting_user: User, ip_address: str | None = None
) -> list[str] | None:
    device.name = name
    device.save(update_fields=["name"])
    return _method_added(device, acting_user=acting_user, ip_address=ip_address)


def _method_added(device: Device, *, acting_user: User, ip_address: str | None) -> list[str] | None:
    user = device.user
    m = method_of(device)
    _record(
        user=user,
        kind=AccountEvent.Kind.TWO_FACTOR_ADDED,
        actor=acting_user,
        ip_address=ip_address,
        method=m.key,
    )
    security_notice_send(
        user=user, change=format_lazy(gettext_lazy("Two-factor method added: {}."), m.label)
    )
    _settings_changed(user)
    state = _state(user)
    if not state.default_method:
        state.default_method = m.key
        state.save(update_fields=["default_method"])
    if RecoveryCodeDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    return _recovery_codes_new(user)


@transaction.atomic
def method_remove(*, device: Device, acting_user: User, ip_address: str | None = None) -> None:
    """Remove a device. With the last method go the recovery codes: 2FA is off."""
    user = device.user
    m = method_of(device)
    device.delete()
    _record(
        user=user,
        kind=AccountEvent.Kind.TWO_FACTOR_REMOVED,
        actor=acting_user,
        ip_address=ip_address,
        method=m.key,
    )
    security_notice_send(
        user=user, change=format_lazy(gettext_lazy("Two-factor method removed: {}."), m.label)
    )
    _settings_changed(user)
    if not primary_methods(user):
        RecoveryCodeDevice.objects.filter(user=user).delete()
        TwoFactorState.objects.filter(user=user).update(default_method="")


@transaction.atomic
def default_method_set(*, user: User, key: str, acting_user: User) -> None:
    state = _state(user)
    if state.default_method == key:
        return
    state.default_method = key
    state.save(update_fields=["default_method"])
    _record(user=user, kind=AccountEvent.Kind.TWO_FACTOR_DEFAULT, actor=acting_user, method=key)
    _settings_changed(user)


def _recovery_codes_new(user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(methods.RECOVERY_CODE_LENGTH))
        for _ in range(settings.RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=device.digest(code)) for code in codes
    )
    half = methods.RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


@transaction.atomic
def recovery_codes_generate(
    *, user: User, acting_user: User, ip_address: str | None = None
) -> list[str]:
    """Ten new recovery codes, shown once; the previous ones stop working."""
    codes = _recovery_codes_new(user)
    _record(
        user=user,
        kind=AccountEvent.Kind.RECOVERY_CODES,
        actor=acting_user,
        ip_address=ip_address,
    )
    security_notice_send(
        user=user,
        change=gettext_lazy("New recovery codes were made; the previous ones no longer work."),
    )
    _settings_changed(user)
    return codes


@transaction.atomic
def remembered_browsers_forget(*, user: User, acting_user: User) -> None:
    """Every browser remembered for this login gives a code at its next login."""
    _record(user=user, kind=AccountEvent.Kind.BROWSERS_FORGOTTEN, actor=acting_user)
    _settings_changed(user)


@transaction.atomic
def two_factor_reset(*, user: User, acting_user: User) -> None:
    """Support turns 2FA off for a login that lost every method (after checking who is
    asking, see the README): every device goes, the agent is recorded, the login's owner
    is emailed. The login adds its methods again from the Security page."""
    for model in device_classes():
        model.objects.filter(user=user).delete()
    TwoFactorState.objects.filter(user=user).update(
        default_method="", failures=0, locked_until=None
    )
    _settings_changed(user)
    sessions_end_others(user=user, keep_session_id=None, acting_user=acting_user)
    _record(
        user=user,
        kind=AccountEvent.Kind.TWO_FACTOR_RESET,
        actor=acting_user,
        agent=acting_user.get_full_name(),
    )
    email_user(
        user,
        "accounts/email/two_factor_reset",
        agent=acting_user.get_short_name(),
        security_url=f"{settings.SITE_URL}{reverse('accounts:security')}",
    )
