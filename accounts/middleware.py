from collections.abc import Callable

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from accounts.mfa.flows import second_step_from_session
from accounts.mfa.selectors import has_staff_factor, second_step_required
from portal.rows import ID_RANGE, RowByKey

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


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware (request.user.otp_device and is_verified()), reading the
    session's device by a statement compiled once per device model and database
    (portal.rows.RowByKey) instead of a queryset built and compiled on every request of a
    verified login: about 1 ms of every staff page. The row is read on every request as
    before, so a device deleted or unconfirmed no longer verifies the next request."""

    _readers: dict[type[Device], RowByKey] = {}

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        # Device.from_persistent_id(), the device read by its reader.
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            model_label, device_id = persistent_id.rsplit("/", 1)
            app_label, model_name = model_label.split(".")
            device_cls = apps.get_model(app_label, model_name)
            device_id = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(device_cls, Device) or device_id not in ID_RANGE:
            return None
        reader = self._readers.get(device_cls)
        if reader is None:
            reader = self._readers.setdefault(device_cls, RowByKey(device_cls, "id"))
        return reader.get(device_id)


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
