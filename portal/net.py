"""The address of the browser, as the lockout and the audit trail must count it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
    outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    only the last TRUSTED_PROXY_COUNT entries can be trusted; whatever the client wrote
    to the left of them is never used, or anyone could escape the lockout by inventing
    addresses. Behind a proxy REMOTE_ADDR is the proxy itself, and every customer would
    share one lockout counter per login.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None
