"""Every write of a login's mobile number: a new number counts only once the code sent to
it is entered; until then the verified number before it stays in force and is told by
SMS that a change was asked. One transaction each, an AccountEvent with the acting user,
SMS queued under the gateway's limits and sent by a task after commit."""

import contextlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.activity.services import security_notice_send
from accounts.codes import CODE_DIGITS, new_nonce
from accounts.mfa.methods import normalize_code
from accounts.mobile import texts
from accounts.models import AccountEvent, MobileVerification, SmsDevice, User
from accounts.phone import format_mobile
from portal.exceptions import Refusal
from sms.models import SmsMessage
from sms.services import SmsRefused, sms_queue


class MobileRefused(Refusal):
    """A mobile change or code that is not accepted; `message` says why."""


def _record(
    *, user: User, kind: str, actor: User | None, ip_address: str | None = None, **detail: object
) -> AccountEvent:
    return AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, detail=detail, ip_address=ip_address
    )


def _queue(
    *,
    user: User | None,
    to: str,
    purpose: str,
    body: str,
    requested_by: User | None,
    ip_address: str | None,
    expires_at: datetime | None = None,
) -> SmsMessage:
    """Queue an SMS of accounts (SmsRefused past a limit) and send it after commit."""
    sms = sms_queue(
        to=to,
        purpose=purpose,
        body=body,
        user=user,
        requested_by=requested_by,
        ip_address=ip_address,
        expires_at=expires_at,
    )
    return sms


def _send_code(
    verification: MobileVerification, *, acting_user: User, ip_address: str | None
) -> None:
    _queue(
        user=verification.user,
        to=verification.mobile,
        purpose=texts.MOBILE_CODE,
        body=texts.mobile_code_text(language=verification.user.language, code=texts.MASKED_CODE),
        requested_by=acting_user,
        ip_address=ip_address,
        expires_at=verification.expires_at,
    )


@transaction.atomic
def mobile_change_request(
    *, user: User, mobile: str, acting_user: User, ip_address: str | None = None
) -> MobileVerification:
    """Send a code to `mobile` (E.164, already normalised): it becomes the login's mobile
    once the code is entered (`mobile_verify`). Also how a number saved before
    verification existed is verified. The verified number in force, if another, is told
    by SMS that a change was asked. Raises SmsRefused past a limit of the gateway."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.has_verified_mobile and user.mobile == mobile:
        raise MobileRefused(_("This is already your verified mobile number."))
    MobileVerification.objects.filter(user=user).delete()
    verification = MobileVerification.objects.create(
        user=user,
        mobile=mobile,
        expires_at=timezone.now() + timedelta(minutes=settings.MOBILE_VERIFICATION_MINUTES),
    )
    _send_code(verification, acting_user=acting_user, ip_address=ip_address)
    if user.has_verified_mobile and user.mobile != mobile:
        # Only a verified number is told: an unverified one may be anybody's.
        # The old number may have had its share of SMS: the change is not held up by it.
        # Not the login's SMS (user=None): the requester does not receive it, so it takes
        # nothing from the login's own quota; requested_by still names who asked.
        with contextlib.suppress(SmsRefused):
            _queue(
                user=None,
                to=user.mobile,
                purpose=texts.MOBILE_CHANGE_NOTICE,
                body=texts.mobile_change_text(language=user.language),
                requested_by=acting_user,
                ip_address=ip_address,
            )
    _record(
        user=user,
        kind=AccountEvent.Kind.MOBILE_CHANGE_REQUESTED,
        actor=acting_user,
        ip_address=ip_address,
        new_mobile=mobile,
    )
    return verification


def _pending(user: User) -> MobileVerification:
    verification = MobileVerification.objects.select_for_update().filter(user=user).first()
    if verification is None:
        raise MobileRefused(
            _("No number is waiting for a code. Please enter your mobile number again.")
        )
    return verification


@transaction.atomic
def mobile_code_resend(*, user: User, ip_address: str | None = None) -> MobileVerification:
    """A new code to the number waiting for one (the previous code stops working), at most
    MOBILE_VERIFICATION_RESENDS times; wrong codes already typed still count."""
    verification = _pending(user)
    if verification.resends >= settings.MOBILE_VERIFICATION_RESENDS:
        raise MobileRefused(
            _("We cannot send more codes to this number. Please enter your mobile number again.")
        )
    verification.nonce = new_nonce()
    verification.resends += 1
    verification.expires_at = timezone.now() + timedelta(
        minutes=settings.MOBILE_VERIFICATION_MINUTES
    )
    verification.save(update_fields=["nonce", "resends", "expires_at"])
    _send_code(verification, acting_user=user, ip_address=ip_address)
    return verification


def mobile_verify(*, user: User, typed: str, ip_address: str | None = None) -> User:
    """Make the number waiting for a code the login's mobile, if `typed` is its code.

    Each code works once, for MOBILE_VERIFICATION_MINUTES; after
    MOBILE_VERIFICATION_ATTEMPTS wrong ones (mistyped shapes count) it is void and the
    number must be entered again. Raises MobileRefused."""
    with transaction.atomic():
        verification = _pending(user)
        now = timezone.now()
        code = normalize_code(typed)
        if verification.is_expired(now):
            verification.delete()
            error = MobileRefused(
                _("This code has expired. Please enter your mobile number again for a new one.")
            )
        elif len(code) == CODE_DIGITS and code.isdigit() and verification.code_matches(code):
            user.mobile = verification.mobile
            user.mobile_verified_at = now
            user.save(update_fields=["mobile", "mobile_verified_at"])
            verification.delete()
            _record(
                user=user,
                kind=AccountEvent.Kind.MOBILE_VERIFIED,
                actor=user,
                ip_address=ip_address,
                mobile=user.mobile,
            )
            security_notice_send(
                user=user,
                change=format_lazy(
                    gettext_lazy("Your mobile number is now {}."), format_mobile(user.mobile)
                ),
            )
            return user
        else:
            verification.failures += 1
            left = settings.MOBILE_VERIFICATION_ATTEMPTS - verification.failures
            if left <= 0:
                verification.delete()
                error = MobileRefused(
                    _(
                        "Too many wrong codes: this code no longer works. Please enter your "
                        "mobile number again for a new one."
                    )
                )
            else:
                verification.save(update_fields=["failures"])
                error = MobileRefused(
                    ngettext(
                        "This code is not valid (a code has %(digits)s digits). "
                        "%(left)s attempt left.",
                        "This code is not valid (a code has %(digits)s digits). "
                        "%(left)s attempts left.",
                        left,
                    )
                    % {"digits": CODE_DIGITS, "left": left}
                )
    # Raised outside the transaction, so that the count of wrong codes is kept.
    raise error


@transaction.atomic
def mobile_change_cancel(*, user: User) -> None:
    """Forget the number waiting for a code; the one in force stays."""
    MobileVerification.objects.filter(user=user).delete()


@transaction.atomic
def mobile_remove(*, user: User, acting_user: User, ip_address: str | None = None) -> None:
    """Remove the login's mobile. Refused while codes by SMS are a second factor."""
    if SmsDevice.objects.filter(user=user, confirmed=True).exists():
        raise MobileRefused(
            _("Your login codes go to this number. Stop codes by SMS on the Security page first.")
        )
    MobileVerification.objects.filter(user=user).delete()
    if not user.mobile:
        return
    old = user.mobile
    user.mobile = ""
    user.mobile_verified_at = None
    user.save(update_fields=["mobile", "mobile_verified_at"])
    _record(
        user=user,
        kind=AccountEvent.Kind.MOBILE_REMOVED,
        actor=acting_user,
        ip_address=ip_address,
        mobile=old,
    )
    security_notice_send(
        user=user, change=gettext_lazy("The mobile number was removed from your login.")
    )
