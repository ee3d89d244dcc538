"""The agents' "Verify a caller" page, and the audit trail for supervisors (read-only)."""

from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.phone import format_mobile
from portal.admin import ReadOnlyAuditAdmin
from portal.net import client_ip
from supportpin import services
from supportpin.forms import AssistedActionForm, LoginSearchForm, PinCheckForm
from supportpin.models import (
    AssistedAction,
    CallerVerification,
    PinEvent,
    SupportPin,
    VerificationAttempt,
)
from supportpin.selectors import (
    caller_for_agent,
    login_search,
    open_requests_of,
    recent_actions_for,
    recent_sms_for,
)
from supportpin.views import flash_outcome


@admin.register(VerificationAttempt)
class VerificationAttemptAdmin(ReadOnlyAuditAdmin):
    list_display = ("created_at", "user", "agent", "result", "ip_address")
    list_filter = ("result", "created_at", "agent")
    search_fields = ("user__username", "user__email", "user__customer__contract_number")
    date_hierarchy = "created_at"
    list_select_related = ("user", "agent")


@admin.register(AssistedAction)
class AssistedActionAdmin(ReadOnlyAuditAdmin):
    list_display = ("created_at", "user", "kind", "agent")
    list_filter = ("kind", "created_at", "agent")
    search_fields = ("user__username", "user__email", "detail", "user__customer__contract_number")
    date_hierarchy = "created_at"
    list_select_related = ("user", "agent")


@admin.register(PinEvent)
class PinEventAdmin(ReadOnlyAuditAdmin):
    list_display = ("created_at", "user", "kind", "actor", "ip_address")
    list_filter = ("kind", "created_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "actor")


@admin.register(SupportPin)
class SupportPinAdmin(ReadOnlyAuditAdmin):
    list_display = ("user", "is_active", "activated_at", "locked_until", "hard_locked_at")
    list_filter = ("is_active",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    # The encrypted secret is not shown, even encrypted.
    fields = (
        "user",
        "is_active",
        "activated_at",
        "secret_changed_at",
        "failure_count",
        "locked_until",
        "hard_locked_at",
        "verified_until",
        "verified_by",
    )


@admin.register(CallerVerification)
class CallerVerificationAdmin(ReadOnlyAuditAdmin):
    """Find the login, check the PIN the caller reads out, send the PIN to the registered
    mobile, record the actions done. Open to every agent (staff)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            # The PIN a caller reads out stays out of error reports.
            path(
                "",
                view(sensitive_post_parameters("pin")(self.verify_view)),
                name="supportpin_callerverification_changelist",
            ),
            path(
                "<int:user_id>/send-pin/",
                view(require_POST(self.send_pin_view)),
                name="supportpin_callerverification_send_pin",
            ),
            path(
                "<int:user_id>/record/",
                view(require_POST(self.record_view)),
                name="supportpin_callerverification_record",
            ),
        ]

    def _caller_url(self, user_id: int) -> str:
        url = reverse("admin:supportpin_callerverification_changelist")
        return f"{url}?login={user_id}"

    def _caller_or_404(self, user_id: int | str | None):
        caller = caller_for_agent(int(user_id)) if str(user_id or "").isdigit() else None
        if caller is None:
            raise Http404
        return caller

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            caller = self._caller_or_404(request.POST.get("login"))
            pin_form = PinCheckForm(request.POST)
            if pin_form.is_valid():
                attempt = services.support_pin_verify(
                    user=caller,
                    pin=pin_form.cleaned_data["pin"],
                    agent=request.user,
                    ip_address=client_ip(request),
                )
                level = messages.SUCCESS if attempt.succeeded else messages.ERROR
                messages.add_message(request, level, attempt.get_result_display())
                return HttpResponseRedirect(self._caller_url(caller.pk))
            return self._render(request, caller=caller, pin_form=pin_form)
        caller = None
        if "login" in request.GET:
            caller = self._caller_or_404(request.GET.get("login"))
        return self._render(request, caller=caller)

    def send_pin_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        caller = self._caller_or_404(user_id)
        flash_outcome(
            request,
            lambda: services.support_pin_sms_request(
                user=caller, acting_user=request.user, ip_address=None
            ),
            _("The PIN is on its way to the registered mobile %(mobile)s.")
            % {"mobile": format_mobile(caller.mobile)},
        )
        return HttpResponseRedirect(self._caller_url(caller.pk))

    def record_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        caller = self._caller_or_404(user_id)
        action_form = AssistedActionForm(request.POST, open_requests=open_requests_of(caller))
        if not action_form.is_valid():
            return self._render(request, caller=caller, action_form=action_form)
        try:
            services.assisted_action_record(
                user=caller,
                agent=request.user,
                kind=action_form.cleaned_data["kind"],
                detail=action_form.cleaned_data["detail"],
                ticket=action_form.cleaned_data["ticket"],
                new_request_category=action_form.cleaned_data["category"],
            )
        except services.VerificationRequired:
            messages.error(request, _("Verify the caller's PIN before recording an action."))
        else:
            messages.success(request, _("The action is recorded and the customer notified."))
        return HttpResponseRedirect(self._caller_url(caller.pk))

    def _render(self, request: HttpRequest, *, caller=None, pin_form=None, action_form=None):
        search_form = LoginSearchForm(request.GET or None)
        results = login_search(search_form.cleaned_data["q"]) if search_form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext_lazy("Verify a caller"),
            "search_form": search_form,
            "results": results,
            "caller": caller,
        }
        if caller is not None:
            support_pin = getattr(caller, "support_pin", None)
            now = timezone.now()
            verified = bool(support_pin and support_pin.is_verified(now))
            open_requests = open_requests_of(caller)
            context.update(
                {
                    "support_pin": support_pin,
                    "pin_active": bool(support_pin and support_pin.is_active),
                    "locked": bool(support_pin and support_pin.is_locked(now)),
                    "verified": verified,
                    "mobile_display": format_mobile(caller.mobile),
                    "permissions": [
                        (
                            caller._meta.get_field(name).verbose_name,
                            caller.has_customer_permission(name),
                        )
                        for name in caller.CUSTOMER_PERMISSIONS
                    ],
                    "pin_form": pin_form or PinCheckForm(),
                    "action_form": action_form or AssistedActionForm(open_requests=open_requests),
                    "open_requests": open_requests,
                    "recent_sms": recent_sms_for(caller),
                    "recent_actions": recent_actions_for(caller),
                }
            )
        return render(request, "admin/supportpin/verify_caller.html", context)
