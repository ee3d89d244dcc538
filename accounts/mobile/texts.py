"""The SMS the accounts app sends, their purposes as the gateway records them, and the
functions that render their text at send time (codes are put in only then)."""

from django.conf import settings
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.codes import spaced
from accounts.models import MobileVerification, SmsDevice
from sms.models import SmsMessage
from sms.text import render_sms

MOBILE_CODE = "mobile_verification"
MOBILE_CHANGE_NOTICE = "mobile_change_notice"
TWO_FACTOR_CODE = "two_factor_sms"
MASKED_CODE = "*** ***"


def mobile_code_text(*, language: str, code: str) -> str:
    return render_sms(
        "accounts/sms/mobile_code.txt",
        {"code": code, "minutes": settings.MOBILE_VERIFICATION_MINUTES},
        language,
    )


def mobile_change_text(*, language: str) -> str:
    return render_sms("accounts/sms/mobile_change.txt", {}, language)


def two_factor_code_text(*, language: str, code: str) -> str:
    return render_sms(
        "accounts/sms/two_factor_code.txt",
        {"code": code, "minutes": settings.TWO_FACTOR_SMS_CODE_MINUTES},
        language,
    )


@sensitive_variables()
def render_mobile_code(sms: SmsMessage) -> str | None:
    """The code of the verification still waiting for this number; None once it was
    entered, cancelled, voided or replaced by another number."""
    verification = MobileVerification.objects.filter(user_id=sms.user_id).first()
    if verification is None or verification.mobile != sms.to:
        return None
    if verification.is_expired(timezone.now()):
        return None
    return mobile_code_text(language=sms.user.language, code=spaced(verification.code()))


def render_mobile_change_notice(sms: SmsMessage) -> str:
    # No secret in it: the stored text is the text.
    return sms.body


@sensitive_variables()
def render_two_factor_code(sms: SmsMessage) -> str | None:
    """The login's current SMS code, only to its verified mobile; None when the code was
    used or expired, or the mobile changed since."""
    user = sms.user
    if user is None or not user.has_verified_mobile or user.mobile != sms.to:
        return None
    now = timezone.now()
    device = (
        SmsDevice.objects.filter(user=user, valid_until__gt=now).order_by("-valid_until").first()
    )
    if device is None or not device.code_is_current(now):
        return None
    return two_factor_code_text(language=user.language, code=spaced(device.code()))


RENDERERS = {
    MOBILE_CODE: render_mobile_code,
    MOBILE_CHANGE_NOTICE: render_mobile_change_notice,
    TWO_FACTOR_CODE: render_two_factor_code,
}


def render_account_sms(sms: SmsMessage) -> str | None:
    return RENDERERS[sms.purpose](sms)
