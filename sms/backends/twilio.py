"""Twilio's Messages API through the official SDK."""

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from sms import SmsPermanentError, SmsTransientError, errors

# Errors that no retry can fix: invalid number, unsubscribed (STOP), not a mobile,
# region not enabled for the account.
PERMANENT_ERROR_CODES = {21211, 21610, 21614, 21408}
TOO_MANY_REQUESTS = 20429
TIMEOUT_SECONDS = 10


class TwilioBackend:
    def __init__(self) -> None:
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=TIMEOUT_SECONDS),
        )
        if settings.TWILIO_API_BASE_URL:
            self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, *, to: str, body: str, status_callback: str = "") -> str:
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM_NUMBER}
        )
        if status_callback:
            sender["status_callback"] = status_callback
        try:
            message = self.client.messages.create(to=to, body=body, **sender)
        except TwilioRestException as error:
            code = str(error.code or error.status)
            if error.status == 429 or error.code == TOO_MANY_REQUESTS or error.status >= 500:
                raise SmsTransientError(error.msg, code=code) from None
            raise SmsPermanentError(error.msg, code=code) from None
        except (requests.ConnectionError, requests.Timeout) as error:
            raise SmsTransientError(type(error).__name__, code=errors.NETWORK) from None
        return message.sid
