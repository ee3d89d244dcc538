from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.mfa.flows import recently_authenticated
from accounts.mobile.services import mobile_change_request
from accounts.mobile.views import verify_redirect
from accounts.models import MobileVerification
from accounts.phone import format_mobile
from accounts.reauth import reauthenticate_redirect_to, reauthentication_required
from portal.exceptions import Refusal
from portal.net import client_ip
from sms.webhooks import twilio_request_is_signed
from supportpin import services
from supportpin.forms import ActivateWithMobileForm
from supportpin.models import SupportPin
from supportpin.selectors import (
    active_support_pin,
    may_use_support_pin,
    pin_display,
    support_history_for,
)


def customer_login_required(view):
    """Logged-in customers only; staff and anyone else get a 404."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_staff or request.user.customer_id is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def pin_user_required(view):
    """Customers whose owner allows them the Support PIN; anyone else gets a 404."""

    @customer_login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_use_support_pin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _by_the_customer(request: HttpRequest) -> dict:
    """The arguments of a service that the logged-in customer calls on their own PIN."""
    return {"user": request.user, "acting_user": request.user, "ip_address": client_ip(request)}


def flash_outcome(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Carry out `action` and say `done`, or why it was refused."""
    try:
        action()
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)


def _mobile_services_page(
    request: HttpRequest, form: ActivateWithMobileForm | None = None
) -> HttpResponse:
    user = request.user
    support_pin = SupportPin.objects.filter(user=user).first()
    now = timezone.now()
    active = support_pin is not None and support_pin.is_active
    pending = MobileVerification.objects.filter(user=user).first()
    context = {
        "allowed": may_use_support_pin(user),
        "support_pin": support_pin if active else None,
        "display": pin_display(support_pin, now) if active else None,
        "locked": active and support_pin.is_locked(now),
        "mobile_display": format_mobile(user.mobile),
        "mobile_verified": user.has_verified_mobile,
        "mobile_pending": format_mobile(pending.mobile) if pending else "",
        "form": form or (None if user.mobile else ActivateWithMobileForm()),
    }
    return render(request, "supportpin/mobile_services.html", context)


# The page shows the PIN: no browser or proxy may keep a copy.
@never_cache
@require_GET
@customer_login_required
def mobile_services(request: HttpRequest) -> HttpResponse:
    return _mobile_services_page(request)


@require_POST
@pin_user_required
def activate(request: HttpRequest) -> HttpResponse:
    if not request.user.mobile:
        return _mobile_first(request)
    services.support_pin_activate(**_by_the_customer(request))
    messages.success(
        request, _("Your Support PIN is active. It is shown at the bottom of every page.")
    )
    return redirect("supportpin:mobile_services")


def _mobile_first(request: HttpRequest) -> HttpResponse:
    """No mobile yet: send a code to the number given; the PIN is activated from this page
    once the number is verified."""
    form = ActivateWithMobileForm(request.POST)
    if not form.is_valid():
        return _mobile_services_page(request, form=form)
    # Giving the login a mobile number is a change of its security (ASVS 3.7.1).
    if not recently_authenticated(request):
        return reauthenticate_redirect_to(reverse("supportpin:mobile_services"))
    try:
        mobile_change_request(
            user=request.user,
            mobile=form.cleaned_data["mobile"],
            acting_user=request.user,
            ip_address=client_ip(request),
        )
    except Refusal as refusal:
        form.add_error("mobile", refusal.message)
        return _mobile_services_page(request, form=form)
    return verify_redirect(reverse("supportpin:mobile_services"))


@require_POST
@pin_user_required
def deactivate(request: HttpRequest) -> HttpResponse:
    services.support_pin_deactivate(**_by_the_customer(request))
    messages.success(request, _("Your Support PIN is switched off."))
    return redirect("supportpin:mobile_services")


@require_POST
@pin_user_required
@reauthentication_required
def regenerate(request: HttpRequest) -> HttpResponse:
    flash_outcome(
        request,
        lambda: services.support_pin_regenerate(**_by_the_customer(request)),
        _("You have a new Support PIN. The previous one no longer works."),
    )
    return redirect("supportpin:mobile_services")


@require_POST
@pin_user_required
def send_sms(request: HttpRequest) -> HttpResponse:
    mobile = format_mobile(request.user.mobile)
    flash_outcome(
        request,
        lambda: services.support_pin_sms_request(**_by_the_customer(request)),
        _("Your Support PIN is on its way to %(mobile)s.") % {"mobile": mobile},
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("supportpin:mobile_services")


@never_cache
@require_GET
@pin_user_required
def current(request: HttpRequest) -> HttpResponse:
    """The bar's refresh: the PIN of this moment and when it changes."""
    support_pin = active_support_pin(request.user)
    if support_pin is None:
        raise Http404
    display = pin_display(support_pin, timezone.now())
    return JsonResponse(
        {
            "pin": display.pin,
            "changes_at": display.changes_at.isoformat(),
            "changes_at_display": timezone.localtime(display.changes_at).strftime("%H:%M"),
            "seconds_left": display.seconds_left,
        }
    )


@require_GET
@customer_login_required
def history(request: HttpRequest) -> HttpResponse:
    return render(
        request, "supportpin/history.html", {"entries": support_history_for(request.user)}
    )


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    """A text to the provider's number. The reply is always empty: whether the sender
    gets a PIN back by separate SMS is not revealed to whoever sent it."""
    if not twilio_request_is_signed(request):
        return HttpResponseForbidden()
    services.support_pin_sms_inbound(
        provider_sid=request.POST.get("MessageSid", ""),
        from_number=request.POST.get("From", ""),
        text=request.POST.get("Body", ""),
    )
    return HttpResponse("<Response/>", content_type="text/xml")
