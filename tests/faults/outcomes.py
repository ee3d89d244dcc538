"""What the fault tests check at the end: everything that had to leave went out once."""

from collections import Counter

from outbox.models import OutboundEmail
from sms.models import SmsMessage


def everything_went_out_once(smtp_sink, twilio) -> bool:
    """Every email sent and at the SMTP sink once by its Message-ID; every SMS sent and
    accepted by the Twilio stand-in once."""
    emails = OutboundEmail.objects.all()
    sent = Counter(message["Message-ID"] for message in smtp_sink.messages)
    sms = SmsMessage.objects.all()
    return (
        emails.exists()
        and all(email.status == OutboundEmail.Status.SENT for email in emails)
        and sent == Counter(email.message_id for email in emails)
        and sms.exists()
        and all(record.status == SmsMessage.Status.SENT for record in sms)
        and len(twilio.accepted) == sms.count()
    )
