from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from accounts.mfa.flows import second_step_from_session
from accounts.mfa.selectors import has_staff_factor, second_step_required

# What a staff login without a second factor may open: the pages that enrol one.
STAFF_ENROLMENT_VIEWS = {
    "accounts:security",
    "accounts:security_app",
    "accounts:security_recovery_show",
    "accounts:passkey_register_begin",
    "accounts:passkey_register_complete",
    "accounts:reauthenticate",
    "accounts:logout",
    "portal:set_language",
}


class TwoFactorMiddleware:
    """Nothing of an account is shown before its second step, and no staff page opens
    before a staff login has a second factor.

    The login view asks for the code before it logs the session in; this catches the
    sessions logged in another way (the admin's login form, a session that predates the
    login's 2FA), on every page including the Support PIN bar's refresh. A login without
    a second factor, the most common, costs no query: its copy of the answer is read
    with it (`User.has_second_factor`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if (
                not user.is_verified()
                and user.has_second_factor
                # The device tables have the last word before the session is logged out.
                and second_step_required(user)
            ):
                return second_step_from_session(request, user)
            if (
                user.is_staff
                and _view_name(request) not in STAFF_ENROLMENT_VIEWS
                and not has_staff_factor(user)
            ):
                return redirect("accounts:security")
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
