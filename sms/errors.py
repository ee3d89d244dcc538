"""What people read about an SMS that did not go out: a text in their language for each
error code that the gateway or the provider records. The provider's own message is kept
on the record for the log, in English; it is never what an agent is shown."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Codes the gateway records itself; the provider's codes are numbers.
INTERRUPTED = "interrupted"
NOT_PREPARED = "not-prepared"
NOT_APPLICABLE = "not-applicable"
NETWORK = "network"

ERROR_TEXTS = {
    INTERRUPTED: _("Sending was interrupted: the SMS may or may not have gone out."),
    NOT_PREPARED: _("The text of the SMS could not be prepared."),
    NOT_APPLICABLE: _("Not sent: the message no longer applied when its turn came."),
    NETWORK: _("The SMS provider could not be reached."),
    # Twilio's error codes.
    "20429": _("The SMS provider was too busy to take the message."),
    "21211": _("The number is not a valid phone number."),
    "21408": _("The SMS provider does not send to this country."),
    "21610": _("The recipient has refused SMS from us (they replied STOP)."),
    "21614": _("This number is not a mobile number; SMS cannot reach it."),
    "30003": _("The phone could not be reached (switched off or out of coverage)."),
    "30004": _("The recipient's phone or operator blocked the message."),
    "30005": _("The number is unknown or no longer in use."),
    "30006": _("The number is a landline or cannot receive SMS."),
    "30007": _("The operator filtered the message out."),
    "30008": _("The operator did not say why the message was not delivered."),
}


def error_text(code: str) -> str:
    """The text for an error `code`, in the active language: the provider's codes are
    shown too, so that support can look them up."""
    if not code:
        return gettext("The SMS could not be sent.")
    text = ERROR_TEXTS.get(code)
    if not code.isdigit():
        return str(text or gettext("The SMS could not be sent."))
    if text is None:
        return gettext("The SMS provider reported error %(code)s.") % {"code": code}
    return f"{code}: {text}"
