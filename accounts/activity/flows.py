"""The login history and the session index, as they touch the request: the receivers of
Django's login signals (whichever form logged in: the portal's, its second step, the
admin's) and what the views call."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.activity import services
from accounts.mfa.selectors import second_step_required
from accounts.models import LoginAttempt, User
from portal.net import client_ip

SESSION_INDEX_KEY = "signed_in_session"
# Set on the request by the view that logs in, before it does: how the login proved who
# it is. Without it (the admin's form) the login used its password.
LOGIN_METHOD_ATTR = "login_method"
LOGIN_VIEWS = {"accounts:login", "admin:login"}


def _user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:512]


def current_session_id(request: HttpRequest) -> int | None:
    return request.session.get(SESSION_INDEX_KEY)


def login_method_set(request: HttpRequest, method: str) -> None:
    setattr(request, LOGIN_METHOD_ATTR, method)


def second_step_refused(request: HttpRequest, user: User, *, method: str, locked: bool) -> None:
    services.login_attempt_record(
        user=user,
        outcome=LoginAttempt.Outcome.LOCKED if locked else LoginAttempt.Outcome.WRONG_CODE,
        method=method,
        ip_address=client_ip(request),
        user_agent=_user_agent(request),
    )


@receiver(user_logged_in)
def _signed_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    session = services.session_start(
        user=user,
        session_key=request.session.session_key,
        ip_address=client_ip(request),
        user_agent=_user_agent(request),
    )
    request.session[SESSION_INDEX_KEY] = session.pk
    if request.method is None:
        # A bare request: a test client's force_login, not an attempt anyone made.
        return
    method = getattr(request, LOGIN_METHOD_ATTR, None)
    if method is None:
        if second_step_required(user):
            # The admin's form took the password; the second step records the login.
            return
        method = LoginAttempt.Method.PASSWORD
    services.login_attempt_record(
        user=user,
        outcome=LoginAttempt.Outcome.SUCCESS,
        method=method,
        ip_address=client_ip(request),
        user_agent=_user_agent(request),
        session_id=session.pk,
    )


@receiver(user_logged_out)
def _signed_out(sender, request: HttpRequest | None, user: User | None, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_id = current_session_id(request)
    if session_id is not None:
        services.session_logged_out(session_id=session_id)


@receiver(user_login_failed)
def _login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.view_name not in LOGIN_VIEWS:
        return
    try:
        user = User.objects.get_by_login(credentials.get("username") or "")
    except User.DoesNotExist:
        user = None
    if getattr(request, "axes_locked_out", False):
        outcome = LoginAttempt.Outcome.LOCKED
    elif user is None:
        outcome = LoginAttempt.Outcome.UNKNOWN_LOGIN
    else:
        outcome = LoginAttempt.Outcome.WRONG_PASSWORD
    services.login_attempt_record(
        user=user,
        outcome=outcome,
        method=LoginAttempt.Method.PASSWORD,
        ip_address=client_ip(request),
        user_agent=_user_agent(request),
    )
