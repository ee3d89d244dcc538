"""The project's SMS gateway, modelled on Django's email backends; it knows no caller.

`send_sms(to, body)` hands one message to the backend named by `settings.SMS_BACKEND`
(Twilio in production, the outbox in development, locmem in tests) and returns the
provider's message ID. Callers that want a stored, retried, rate-limited SMS register
their purpose (`sms.purposes.register_purpose`), then use `sms.services.sms_queue` and a
Celery task of their own that calls `sms_deliver` with the function that renders the text.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider did not take the message. `message` is the provider's own text (in
    English, for the log); people are shown `SmsMessage.error_display` instead."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SmsTransientError(SmsError):
    """The message may go through later: timeouts, throttling, provider outages."""


class SmsPermanentError(SmsError):
    """Retrying cannot help: invalid or unsubscribed number, region not enabled."""


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, body: str, *, status_callback: str = "") -> str:
    return get_backend().send(to=to, body=body, status_callback=status_callback)
