from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.activity import services
from accounts.activity.flows import current_session_id
from accounts.models import SignedInSession
from portal.net import client_ip

# What this process last read of each index row: (login, session key, last activity).
# Bounded: past this many sessions it starts again, and each one is read once more.
_SEEN_LIMIT = 10_000


class SignedInSessionMiddleware:
    """A logged-in session counts only while its login can see it on the Security page:
    one whose SignedInSession was ended (by "Sign out", a password change, or a login
    that predates the index) is logged out here, whatever the session store still holds.
    Otherwise its last activity is noted.

    The index row is read again only when its last activity is due to move (once every
    SESSION_ACTIVITY_SECONDS) or the session's key changed, not on every request: ending
    a session deletes it from the store too (accounts.activity.services), which signs it
    out at its next request without this check, so the row read here is a second line
    that may lag by that much. A session store that cannot be deleted from (signed
    cookies) would need the row read on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.seen: dict[int, tuple[int, str, datetime]] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        session_id = current_session_id(request)
        if session_id is None:
            logout(request)
            return
        now = timezone.now()
        session_key = request.session.session_key
        known = self.seen.get(session_id)
        if known is not None and known[:2] == (request.user.pk, session_key):
            interval = timedelta(seconds=settings.SESSION_ACTIVITY_SECONDS)
            if timedelta(0) <= now - known[2] < interval:
                return
        session = SignedInSession.objects.filter(pk=session_id, user=request.user).first()
        if session is None:
            self.seen.pop(session_id, None)
            logout(request)
            return
        seen_at = services.session_seen(
            session=session, session_key=session_key, ip_address=client_ip(request), at=now
        )
        if len(self.seen) >= _SEEN_LIMIT:
            self.seen.clear()
        self.seen[session_id] = (request.user.pk, session_key, seen_at)
