"""Mobile numbers: parsed with `phonenumbers`, stored in E.164, and only where SMS may go.

A number is accepted when it is a mobile one (premium-rate, shared-cost, toll-free, VoIP,
personal, pager and landline numbers are refused) in one of SMS_ALLOWED_COUNTRIES, the
countries the SMS provider is allowed to send to (Twilio's geo permissions). Where a
country numbers mobiles and landlines alike (the US, Canada), `phonenumbers` can only say
FIXED_LINE_OR_MOBILE: such a number is accepted, and the code sent to it proves it."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
_INVALID = _("Enter a valid mobile number, e.g. +30 691 234 5678.")


def allowed_countries() -> list[str]:
    """The region codes (ISO 3166, e.g. "GR") that SMS may be sent to."""
    return [code.upper() for code in settings.SMS_ALLOWED_COUNTRIES]


def allowed_countries_display() -> str:
    """The allowed countries by their calling codes, for messages: "+30 (GR), +357 (CY)"."""
    return ", ".join(
        f"+{phonenumbers.country_code_for_region(code)} ({code})" for code in allowed_countries()
    )


def sms_may_reach(e164: str) -> bool:
    """Whether a stored number is in a country SMS may be sent to."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.region_code_for_number(number) in allowed_countries()


def normalize_mobile(raw: str) -> str:
    """Return `raw` as an E.164 mobile number that SMS may reach, or raise ValidationError."""
    raw = (raw or "").strip()
    try:
        number = phonenumbers.parse(raw, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_INVALID, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_INVALID, code="invalid_phone")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(
            _("This number is not a mobile number; SMS cannot reach it."), code="not_mobile"
        )
    if phonenumbers.region_code_for_number(number) not in allowed_countries():
        raise ValidationError(
            _("We can send SMS only to mobile numbers of these countries: %(countries)s."),
            code="country_not_allowed",
            params={"countries": allowed_countries_display()},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_mobile(value: str) -> None:
    if value:
        normalize_mobile(value)


def format_mobile(value: str) -> str:
    """A stored E.164 number in the international format people read."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
