"""The login's second step and re-authentication, as they touch the request: what the
session remembers between the password and the code, and when the login last proved who
it is. Views call these; the rules themselves are in services and selectors."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.models import Device

from accounts.activity.flows import login_method_set
from accounts.mfa.methods import method_of
from accounts.mfa.remember import remember_browser
from accounts.mfa.selectors import confirmed_devices, default_method, devices_of
from accounts.models import User
from accounts.services import user_login_recorded
from portal.i18n import remember_language
from portal.net import client_ip

PENDING_SESSION_KEY = "two_factor_pending"
REAUTH_SESSION_KEY = "reauthenticated_at"


def safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def second_step_start(
    request: HttpRequest, user: User, *, backend: str, next_url: str | None
) -> HttpResponse:
    """The password was right: remember whose it was, and ask for the second factor.
    The session is not logged in until the code or passkey is given."""
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": backend,
        "since": time.time(),
        "next": safe_next(request, next_url),
    }
    return redirect("accounts:second_step")


def second_step_from_session(request: HttpRequest, user: User) -> HttpResponse:
    """A session logged in without its second step (the admin's login form, a session
    older than the login's 2FA): log it out and ask for the code."""
    backend = request.session.get(BACKEND_SESSION_KEY, settings.AUTHENTICATION_BACKENDS[-1])
    next_url = request.get_full_path() if request.method == "GET" else None
    auth_logout(request)
    return second_step_start(request, user, backend=backend, next_url=next_url)


def pending_login(request: HttpRequest) -> tuple[User, dict] | None:
    """The login waiting for its second step in this session, if any (and not stale)."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return None
    if time.time() - pending["since"] > settings.TWO_FACTOR_PENDING_MINUTES * 60:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None
    return user, pending


def login_complete(
    request: HttpRequest, user: User, device: Device, *, remember: bool = False
) -> HttpResponse:
    """The second factor was given: log the session in, verified by `device`."""
    pending = request.session.pop(PENDING_SESSION_KEY)
    login_method_set(request, method_of(device).key)
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    user_login_recorded(user=user, ip_address=client_ip(request))
    response = redirect(pending["next"])
    remember_language(request, response, user.language)
    if remember:
        remember_browser(response, user)
    return response


def password_login_done(request: HttpRequest, user: User) -> None:
    """A login by password alone: the login has no second factor, or this browser is
    remembered for it. A remembered browser's session counts as verified by the login's
    default device, so that every page treats it as such; but a security change still
    asks for a code, which this login has not given."""
    m = default_method(user)
    devices = devices_of(user, m) if m else confirmed_devices(user)
    if devices:
        otp_login(request, devices[0])
        request.session.pop(REAUTH_SESSION_KEY, None)


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = time.time()


@receiver(user_logged_in)
def _credentials_just_given(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    # Whatever form logged the session in (the portal's, after its second step, or the
    # admin's), the login has just proved who it is.
    if request is not None and hasattr(request, "session"):
        mark_reauthenticated(request)


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return at is not None and time.time() - at <= settings.REAUTH_MINUTES * 60
