"""The project's SMS gateway, modelled on Django's email backends.

`send_sms(to, body)` hands one message to the backend named by `settings.SMS_BACKEND`
(Twilio in production, the outbox in development, locmem in tests) and returns the
provider's message ID. Callers that want a stored, retried, rate-limited SMS use
`portal.sms.services.sms_queue` and a Celery task that calls `sms_deliver`.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
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
