"""Twilio webhook authentication."""

from django.conf import settings
from django.http import HttpRequest
from twilio.request_validator import RequestValidator


def twilio_request_is_signed(request: HttpRequest) -> bool:
    """True when the request carries Twilio's signature for our auth token.

    The signed URL is the public one Twilio called (SITE_URL), not the one a proxy
    forwarded to us.
    """
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    url = f"{settings.SITE_URL}{request.get_full_path()}"
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)
