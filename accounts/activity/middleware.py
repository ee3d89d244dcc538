from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.activity import services
from accounts.activity.flows import current_session_id
from accounts.models import SignedInSession
from portal.net import client_ip


class SignedInSessionMiddleware:
    """A logged-in session counts only while its login can see it on the Security page:
    one whose SignedInSession was ended (by "Sign out", a password change, or a login
    that predates the index) is logged out here, whatever the session store still holds.
    Otherwise its last activity is noted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session_id = current_session_id(request)
            session = (
                SignedInSession.objects.filter(pk=session_id, user=request.user).first()
                if session_id is not None
                else None
            )
            if session is None:
                logout(request)
            else:
                services.session_seen(
                    session=session,
                    session_key=request.session.session_key,
                    ip_address=client_ip(request),
                    at=timezone.now(),
                )
        return self.get_response(request)
