"""The text of a Support PIN SMS, in the login's language."""

from datetime import datetime

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from sms.models import SmsMessage
from sms.text import render_sms
from supportpin.crypto import decrypt_secret
from supportpin.models import SupportPin
from supportpin.pin import format_pin, pin_accepted_until, support_pin_for

MASKED_PIN = "*** ***"
# What the gateway records as the purpose of a PIN SMS (registered in SupportPinConfig).
SMS_PURPOSE = "support_pin"


# All locals: the template context holds the PIN too.
@sensitive_variables()
def pin_sms_text(*, user, pin: str, at: datetime) -> str:
    # Nothing the customer typed goes in (not the login name): see sms.text.
    return render_sms(
        "supportpin/sms/pin.txt",
        {"pin": pin, "until": timezone.localtime(pin_accepted_until(at))},
        user.language,
    )


def masked_pin_sms_text(*, user, at: datetime) -> str:
    """What the SMS record stores: the text with the PIN masked."""
    return pin_sms_text(user=user, pin=MASKED_PIN, at=at)


@sensitive_variables()
def render_pin_sms(sms: SmsMessage) -> str | None:
    """The text sent at send time, with the PIN of that moment; None if the PIN is off
    or the number is no longer the login's verified mobile."""
    support_pin = SupportPin.objects.filter(user_id=sms.user_id, is_active=True).first()
    if support_pin is None or sms.user is None:
        return None
    if not sms.user.has_verified_mobile or sms.user.mobile != sms.to:
        return None
    now = timezone.now()
    pin = support_pin_for(decrypt_secret(support_pin.encrypted_secret), now)
    return pin_sms_text(user=sms.user, pin=format_pin(pin), at=now)
