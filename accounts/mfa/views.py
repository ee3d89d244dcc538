"""The Security page, the login's second step and re-authentication. Views check and
render; the writes are in accounts.mfa.services."""

import json
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.activity.flows import second_step_refused
from accounts.activity.views import security_activity
from accounts.mfa import methods, services, webauthn
from accounts.mfa.flows import (
    login_complete,
    mark_reauthenticated,
    pending_login,
    safe_next,
)
from accounts.mfa.forms import (
    CodeForm,
    DefaultMethodForm,
    PasskeyNameForm,
    PasswordAndCodeForm,
    SecondStepForm,
)
from accounts.mfa.methods import METHODS, Method
from accounts.mfa.selectors import (
    default_method,
    devices_of,
    enabled_methods,
    has_staff_factor,
    primary_methods,
    recovery_codes_left,
    second_step_required,
)
from accounts.models import SmsDevice, User
from accounts.phone import format_mobile
from accounts.reauth import ReauthenticationRequiredMixin, reauthentication_required
from accounts.throttle import (
    password_check_failed,
    password_checks_blocked,
    password_checks_refusal,
)
from portal.exceptions import Refusal
from portal.net import client_ip

RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"
PASSKEY_NAME_SESSION_KEY = "two_factor_new_passkey_name"


def _available_methods(user: User) -> list[Method]:
    """The methods this login may add: staff may not rely on email (or SMS)."""
    return [m for m in METHODS if m.staff_allowed or not user.is_staff]


def _show_recovery_codes(request: HttpRequest, codes: list[str] | None) -> HttpResponse:
    """Redirect to the page that shows new recovery codes once (or to the Security page
    when there are none to show)."""
    if codes:
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect("accounts:security_recovery_show")
    return redirect("accounts:security")


def _reverify_after_change(request: HttpRequest) -> None:
    """Keep the session verified when the device it was verified with is gone (removed)
    or when its first device was just added."""
    user = request.user
    if user.is_verified() and type(user.otp_device).objects.filter(pk=user.otp_device.pk).exists():
        return
    m = default_method(user)
    devices = devices_of(user, m) if m else []
    if devices:
        otp_login(request, devices[0])


# --- The second step of the login -----------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class SecondStepView(View):
    template_name = "accounts/security/second_step.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        pending = pending_login(request)
        if pending is None:
            messages.info(request, _("Please log in again."))
            return redirect("accounts:login")
        self.user, self.pending = pending
        self.methods = primary_methods(self.user) + [
            m for m in [methods.RECOVERY] if m in enabled_methods(self.user)
        ]
        if not self.methods:
            return redirect("accounts:login")
        chosen = methods.method(request.GET.get("method") or request.POST.get("method", ""))
        if chosen not in self.methods:
            chosen = default_method(self.user) or self.methods[0]
        self.method = chosen
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(SecondStepForm(method=self.method))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SecondStepForm(request.POST, method=self.method)
        if request.POST.get("action") == "send" and self.method.send_label:
            return self._send_code()
        if self.method.kind == "passkey":
            form.fields["code"].required = False
        if not form.is_valid():
            return self._render(form, status=400)
        if self.method.kind == "passkey":
            data = _json_field(request.POST.get("credential", ""))

            def check():
                return webauthn.authentication_check(request, self.user, data)
        else:

            def check():
                return services.code_check(
                    user=self.user, m=self.method, typed=form.cleaned_data["code"]
                )

        try:
            device = services.second_step_verify(
                user=self.user, check=check, ip_address=client_ip(request)
            )
        except services.SecondStepLocked:
            second_step_refused(request, self.user, method=self.method.key, locked=True)
            return self._render(form, status=429)
        except Refusal as refusal:
            second_step_refused(request, self.user, method=self.method.key, locked=False)
            form.add_error(None if self.method.kind == "passkey" else "code", refusal.message)
            return self._render(form, status=400)
        return login_complete(request, self.user, device, remember=form.cleaned_data["remember"])

    def _send_code(self) -> HttpResponse:
        device = devices_of(self.user, self.method)[0]
        _flash_code_sent(self.request, device)
        return redirect(f"{reverse('accounts:second_step')}?method={self.method.key}")

    def _render(self, form: SecondStepForm, status: int = 200) -> HttpResponse:
        locked = services.second_step_locked(self.user)
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "method": self.method,
                "other_methods": [m for m in self.methods if m is not self.method],
                "locked": locked,
                "locked_message": services.locked_message() if locked else "",
                "passkeys_possible": webauthn.passkeys_possible(self.request),
            },
            status=429 if locked else status,
        )


def _flash_code_sent(request: HttpRequest, device) -> None:
    """Send a code of `device` (email or SMS) and say so, or why not."""
    is_sms = methods.method_of(device) is methods.SMS
    try:
        sent = services.code_send(device=device, ip_address=client_ip(request))
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return
    if sent:
        messages.success(
            request,
            _("We have sent a code by SMS to your mobile.")
            if is_sms
            else _("We have emailed you a code."),
        )
    else:
        messages.info(
            request,
            _("We sent you a code by SMS a moment ago: please check your phone.")
            if is_sms
            else _("We emailed you a code a moment ago: please check your inbox."),
        )


def _send_code_requested(request: HttpRequest) -> HttpResponse:
    """A logged-in login asks for a code by email or SMS, to type on this same page."""
    m = methods.method(request.POST.get("method", ""))
    if m is not None and m.send_label and m in enabled_methods(request.user):
        _flash_code_sent(request, devices_of(request.user, m)[0])
    return redirect(request.get_full_path())


def _sent_code_methods(user: User) -> list[Method]:
    return [m for m in enabled_methods(user) if m.send_label]


def _json_field(value: str) -> dict:
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@never_cache
@require_POST
def passkey_options(request: HttpRequest) -> JsonResponse:
    """The challenge a passkey signs: for the login waiting for its second step, or for
    the logged-in login confirming who it is."""
    if request.user.is_authenticated:
        user = request.user
    else:
        pending = pending_login(request)
        if pending is None:
            return JsonResponse({"detail": _("Please log in again.")}, status=403)
        user = pending[0]
    return JsonResponse(webauthn.authentication_begin(request, user))


# --- Re-authentication ----------------------------------------------------------------


@method_decorator([never_cache, login_required], name="dispatch")
class ReauthenticateView(View):
    template_name = "accounts/security/reauthenticate.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if request.POST.get("action") == "send":
            return _send_code_requested(request)
        form = self._form(request.POST)
        passkey = request.POST.get("action") == "passkey"
        if passkey:
            form.fields.pop("code", None)
        if not form.is_valid():
            return self._render(form, status=400)
        if password_checks_blocked(user.pk):
            form.add_error("password", password_checks_refusal())
            return self._render(form, status=429)
        if not user.check_password(form.cleaned_data["password"]):
            password_check_failed(user.pk)
            form.add_error("password", _("Your password was entered incorrectly."))
            return self._render(form, status=400)
        if second_step_required(user):
            if passkey:
                data = _json_field(request.POST.get("credential", ""))

                def check():
                    return webauthn.authentication_check(request, user, data)
            else:

                def check():
                    return services.any_code_check(user=user, typed=form.cleaned_data["code"])

            try:
                services.second_step_verify(user=user, check=check, ip_address=client_ip(request))
            except Refusal as refusal:
                field = None if passkey else "code"
                form.add_error(field, refusal.message)
                return self._render(form, status=400)
        mark_reauthenticated(request)
        return redirect(safe_next(request, request.GET.get("next")))

    def _form(self, data=None) -> PasswordAndCodeForm:
        return PasswordAndCodeForm(data, code_required=second_step_required(self.request.user))

    def _render(self, form: PasswordAndCodeForm, status: int = 200) -> HttpResponse:
        user = self.request.user
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "minutes": settings.REAUTH_MINUTES,
                "has_passkey": methods.PASSKEY in enabled_methods(user)
                and webauthn.passkeys_possible(self.request),
                "sent_code_methods": _sent_code_methods(user),
            },
            status=status,
        )


# --- The Security page ----------------------------------------------------------------


@method_decorator([never_cache, login_required], name="dispatch")
class SecurityView(View):
    template_name = "accounts/security/security.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        enabled = enabled_methods(user)
        primaries = [m for m in enabled if not m.backup]
        rows = [
            {
                "method": m,
                "devices": devices_of(user, m),
                "enabled": m in enabled,
            }
            for m in _available_methods(user)
            if not m.backup
        ]
        return render(
            request,
            self.template_name,
            {
                "rows": rows,
                "two_factor_on": bool(primaries),
                "default_form": DefaultMethodForm(
                    methods=primaries,
                    initial={"method": (default_method(user) or methods.APP).key},
                ),
                "several_methods": len(primaries) > 1,
                "recovery_left": recovery_codes_left(user),
                "recovery_total": settings.RECOVERY_CODE_COUNT,
                "passkey_form": PasskeyNameForm(),
                "passkeys_possible": webauthn.passkeys_possible(request),
                "staff_must_enrol": user.is_staff and not has_staff_factor(user),
                "remember_days": settings.TWO_FACTOR_REMEMBER_DAYS,
                "mobile_display": format_mobile(user.mobile),
                **security_activity(request),
            },
        )


@method_decorator([never_cache, login_required], name="dispatch")
class AuthenticatorAppView(ReauthenticationRequiredMixin, View):
    """Add an authenticator app: scan the QR code (or type the secret), then give a code
    from the app. Until then the app is an unconfirmed device that counts for nothing."""

    template_name = "accounts/security/app.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        device = self._device()
        if device is None:
            return redirect("accounts:security")
        return self._render(device, CodeForm(method=methods.APP))

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "start":
            if devices_of(request.user, methods.APP):
                messages.info(request, _("Remove your authenticator app before adding another."))
                return redirect("accounts:security")
            services.authenticator_app_start(user=request.user)
            return redirect("accounts:security_app")
        device = self._device()
        if device is None:
            return redirect("accounts:security")
        form = CodeForm(request.POST, method=methods.APP)
        if not form.is_valid():
            return self._render(device, form, status=400)
        try:
            codes = services.device_confirm(
                device=device,
                typed=form.cleaned_data["code"],
                acting_user=request.user,
                ip_address=client_ip(request),
            )
        except Refusal as refusal:
            form.add_error("code", refusal.message)
            return self._render(device, form, status=400)
        _reverify_after_change(request)
        messages.success(request, _("Your authenticator app is set up."))
        return _show_recovery_codes(request, codes)

    def _device(self) -> TOTPDevice | None:
        return TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()

    def _render(self, device: TOTPDevice, form: CodeForm, status: int = 200) -> HttpResponse:
        secret = b32encode(device.bin_key).decode()
        qr = segno.make(device.config_url, error="m")
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "qr_svg": qr.svg_inline(
                    scale=5,
                    svgclass="qr-code",
                    lineclass=None,
                    title=_("QR code for your authenticator app"),
                ),
                "step": device.step,
            },
            status=status,
        )


class _CodesByMessageView(ReauthenticationRequiredMixin, View):
    """Codes sent by a message (email, SMS): the method is on once the first code sent is
    entered, which also shows the recovery codes if they are new."""

    method: methods.Method
    confirmed_message: Promise

    def _render(self, form: CodeForm, status: int = 200) -> HttpResponse:
        raise NotImplementedError

    def _confirm(self, request: HttpRequest, device: Device) -> HttpResponse:
        form = CodeForm(request.POST, method=self.method)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            codes = services.device_confirm(
                device=device,
                typed=form.cleaned_data["code"],
                acting_user=request.user,
                ip_address=client_ip(request),
            )
        except Refusal as refusal:
            form.add_error("code", refusal.message)
            return self._render(form, status=400)
        _reverify_after_change(request)
        messages.success(request, self.confirmed_message)
        return _show_recovery_codes(request, codes)


@method_decorator([never_cache, login_required], name="dispatch")
class EmailCodesView(_CodesByMessageView):
    """Use codes sent to the registered address: enabled once the first one is entered."""

    template_name = "accounts/security/email.html"
    method = methods.EMAIL
    confirmed_message = gettext_lazy("Codes by email are on.")

    def get(self, request: HttpRequest) -> HttpResponse:
        if self._device() is None:
            return redirect("accounts:security")
        return self._render(CodeForm(method=methods.EMAIL))

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_staff:
            raise Http404
        action = request.POST.get("action")
        if action == "start":
            services.email_codes_start(user=request.user)
            return redirect("accounts:security_email")
        device = self._device()
        if device is None:
            return redirect("accounts:security")
        if action == "send":
            if not services.email_code_send(device=device):
                messages.info(request, _("We emailed you a code a moment ago."))
            return redirect("accounts:security_email")
        return self._confirm(request, device)

    def _device(self) -> EmailDevice | None:
        return EmailDevice.objects.filter(user=self.request.user, confirmed=False).first()

    def _render(self, form: CodeForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "minutes": settings.OTP_EMAIL_TOKEN_VALIDITY // 60},
            status=status,
        )


@method_decorator([never_cache, login_required], name="dispatch")
class SmsCodesView(_CodesByMessageView):
    """Use codes sent by SMS to the verified mobile: enabled once the first one is
    entered. Not for staff, and not without a verified mobile."""

    template_name = "accounts/security/sms.html"
    method = methods.SMS
    confirmed_message = gettext_lazy("Codes by SMS are on.")

    def get(self, request: HttpRequest) -> HttpResponse:
        if self._device() is None:
            return redirect("accounts:security")
        return self._render(CodeForm(method=methods.SMS))

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_staff:
            raise Http404
        action = request.POST.get("action")
        if action == "start":
            if devices_of(request.user, methods.SMS):
                return redirect("accounts:security")
            try:
                services.sms_codes_start(user=request.user, ip_address=client_ip(request))
            except Refusal as refusal:
                messages.error(request, refusal.message)
                return redirect("accounts:security")
            return redirect("accounts:security_sms")
        device = self._device()
        if device is None:
            return redirect("accounts:security")
        if action == "send":
            _flash_code_sent(request, device)
            return redirect("accounts:security_sms")
        return self._confirm(request, device)

    def _device(self) -> SmsDevice | None:
        return SmsDevice.objects.filter(user=self.request.user, confirmed=False).first()

    def _render(self, form: CodeForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "minutes": settings.TWO_FACTOR_SMS_CODE_MINUTES,
                "mobile_display": format_mobile(self.request.user.mobile),
            },
            status=status,
        )


@never_cache
@login_required
@require_POST
@reauthentication_required
def passkey_register_begin(request: HttpRequest) -> JsonResponse:
    """The challenge for a new passkey, once its name is valid (kept for the second half)."""
    form = PasskeyNameForm(_json_field(request.body.decode("utf-8", "replace")))
    if not form.is_valid():
        return JsonResponse({"detail": " ".join(form.errors["name"])}, status=400)
    request.session[PASSKEY_NAME_SESSION_KEY] = form.cleaned_data["name"]
    return JsonResponse(webauthn.registration_begin(request, request.user))


@never_cache
@login_required
@require_POST
@reauthentication_required
def passkey_register_complete(request: HttpRequest) -> JsonResponse:
    data = _json_field(request.body.decode("utf-8", "replace"))
    name = request.session.pop(PASSKEY_NAME_SESSION_KEY, "")
    credential = data.get("credential")
    try:
        device = webauthn.registration_complete(
            request, request.user, credential if isinstance(credential, dict) else {}
        )
    except Refusal as refusal:
        return JsonResponse({"detail": str(refusal.message)}, status=400)
    codes = services.passkey_added(
        device=device,
        name=name,
        acting_user=request.user,
        ip_address=client_ip(request),
    )
    _reverify_after_change(request)
    messages.success(request, _("Your passkey “%(name)s” is added.") % {"name": name})
    return JsonResponse({"redirect": _show_recovery_codes(request, codes).url})


@method_decorator([never_cache, login_required], name="dispatch")
class MethodRemoveView(ReauthenticationRequiredMixin, View):
    """Remove one device. Removing the last method turns 2FA off: that needs the password
    and a current code, whatever was proved before."""

    template_name = "accounts/security/remove.html"

    def dispatch(self, request: HttpRequest, key: str, pk: int) -> HttpResponse:
        m = methods.method(key)
        if m is None or m.backup or not request.user.is_authenticated:
            raise Http404
        self.device = m.model.objects.filter(user=request.user, pk=pk).first()
        if self.device is None:
            raise Http404
        self.m = m
        self.last = primary_methods(request.user) == [m] and len(devices_of(request.user, m)) == 1
        return super().dispatch(request)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "send":
            return _send_code_requested(request)
        form = self._form(request.POST)
        if form is not None:
            if not form.is_valid():
                return self._render(form, status=400)
            if not request.user.check_password(form.cleaned_data["password"]):
                password_check_failed(request.user.pk)
                form.add_error("password", _("Your password was entered incorrectly."))
                return self._render(form, status=400)
            try:
                if "code" in form.fields:
                    services.second_step_verify(
                        user=request.user,
                        check=lambda: services.any_code_check(
                            user=request.user, typed=form.cleaned_data["code"]
                        ),
                        ip_address=client_ip(request),
                    )
            except Refusal as refusal:
                form.add_error("code", refusal.message)
                return self._render(form, status=400)
        services.method_remove(
            device=self.device, acting_user=request.user, ip_address=client_ip(request)
        )
        _reverify_after_change(request)
        if self.last:
            messages.success(request, _("Two-factor authentication is off."))
        else:
            messages.success(request, _("%(method)s removed.") % {"method": self.m.label})
        return redirect("accounts:security")

    def _form(self, data=None) -> PasswordAndCodeForm | None:
        if not self.last:
            return None
        return PasswordAndCodeForm(data, code_required=self._has_code_method())

    def _has_code_method(self) -> bool:
        return any(m.kind == "code" for m in enabled_methods(self.request.user))

    def _render(self, form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "method": self.m,
                "device": self.device,
                "last": self.last,
                "sent_code_methods": _sent_code_methods(self.request.user),
            },
            status=status,
        )


@never_cache
@login_required
@require_POST
@reauthentication_required
def default_method_choose(request: HttpRequest) -> HttpResponse:
    form = DefaultMethodForm(request.POST, methods=primary_methods(request.user))
    if form.is_valid():
        services.default_method_set(
            user=request.user, key=form.cleaned_data["method"], acting_user=request.user
        )
        messages.success(request, _("Your default method is saved."))
    return redirect("accounts:security")


@method_decorator([never_cache, login_required], name="dispatch")
class RecoveryCodesView(ReauthenticationRequiredMixin, View):
    template_name = "accounts/security/recovery_codes.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        if not codes:
            return redirect("accounts:security")
        text = "\n".join(
            [
                _("Recovery codes for %(login)s at %(site)s")
                % {"login": request.user.get_username(), "site": settings.SITE_URL},
                _("Each code works once."),
                "",
                *codes,
                "",
            ]
        )
        return render(request, self.template_name, {"codes": codes, "codes_text": text})

    def post(self, request: HttpRequest) -> HttpResponse:
        if not primary_methods(request.user):
            return redirect("accounts:security")
        codes = services.recovery_codes_generate(
            user=request.user, acting_user=request.user, ip_address=client_ip(request)
        )
        return _show_recovery_codes(request, codes)


@never_cache
@login_required
@require_POST
@reauthentication_required
def remembered_browsers_forget(request: HttpRequest) -> HttpResponse:
    services.remembered_browsers_forget(user=request.user, acting_user=request.user)
    messages.success(request, _("Every browser will ask for a code at its next login."))
    return redirect("accounts:security")
