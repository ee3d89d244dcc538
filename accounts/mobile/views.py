"""Verifying a mobile number: the page where the code sent to it is entered, and the
button that sends one to a number saved before verification existed. Views check and
render; the writes are in accounts.mobile.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.mfa.flows import safe_next
from accounts.mobile import services
from accounts.mobile.forms import MobileCodeForm
from accounts.models import MobileVerification
from accounts.phone import format_mobile
from portal.exceptions import Refusal
from portal.net import client_ip


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, url) if url else reverse("accounts:profile")


def verify_redirect(next_url: str) -> HttpResponse:
    """To the page where the code just sent is entered, coming back to `next_url`."""
    return redirect(f"{reverse('accounts:mobile_verify')}?{urlencode({'next': next_url})}")


@method_decorator([never_cache, login_required], name="dispatch")
class MobileVerifyView(View):
    template_name = "accounts/mobile_verify.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            self.pending = MobileVerification.objects.filter(user=request.user).first()
            if self.pending is None:
                return redirect(_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(MobileCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        if action == "cancel":
            services.mobile_change_cancel(user=request.user)
            messages.info(request, _("Your mobile number is unchanged."))
            return redirect(_next(request))
        if action == "resend":
            try:
                services.mobile_code_resend(user=request.user, ip_address=client_ip(request))
            except Refusal as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("We have sent you a new code."))
            return redirect(request.get_full_path())
        form = MobileCodeForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            user = services.mobile_verify(
                user=request.user, typed=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except Refusal as refusal:
            if not MobileVerification.objects.filter(user=request.user).exists():
                messages.error(request, refusal.message)
                return redirect(_next(request))
            form.add_error("code", refusal.message)
            return self._render(form, status=400)
        messages.success(
            request,
            _("Your mobile number %(mobile)s is verified.")
            % {"mobile": format_mobile(user.mobile)},
        )
        return redirect(_next(request))

    def _render(self, form: MobileCodeForm, status: int = 200) -> HttpResponse:
        pending = self.pending
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "mobile_display": format_mobile(pending.mobile),
                "minutes": settings.MOBILE_VERIFICATION_MINUTES,
                "can_resend": pending.resends < settings.MOBILE_VERIFICATION_RESENDS,
                "next": _next(self.request),
            },
            status=status,
        )


@never_cache
@login_required
@require_POST
def mobile_verify_start(request: HttpRequest) -> HttpResponse:
    """Send a code to the login's mobile saved before verification existed."""
    user = request.user
    if not user.mobile or user.has_verified_mobile:
        return redirect(_next(request))
    try:
        services.mobile_change_request(
            user=user, mobile=user.mobile, acting_user=user, ip_address=client_ip(request)
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(_next(request))
    return verify_redirect(_next(request))
