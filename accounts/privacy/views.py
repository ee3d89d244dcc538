"""The privacy pages: "Your data" (the export), deleting one's login, giving the
ownership to a member, closing the customer account. Customer logins only: anyone else,
and any other login's object, gets a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.privacy import services
from accounts.privacy.forms import ConfirmLoginNameForm, OwnershipTransferForm
from accounts.privacy.models import DataExport
from accounts.reauth import ReauthenticationRequiredMixin
from portal.exceptions import Refusal
from portal.net import client_ip
from portal.storage import private_file_response


def _customer_login(request: HttpRequest) -> User:
    user = request.user
    if user.customer_id is None or user.erased_at:
        raise Http404
    return user


def _owner(request: HttpRequest) -> User:
    user = _customer_login(request)
    if not user.is_customer_owner:
        raise Http404
    return user


@method_decorator(login_required, name="dispatch")
class PrivacyView(View):
    """Your data: request an export, download a ready one, and the ways to leave."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _customer_login(request)
        exports = list(DataExport.objects.filter(user=user)[:5])
        return render(
            request,
            "accounts/privacy/privacy.html",
            {
                "exports": exports,
                "now": timezone.now(),
                "hours": settings.DATA_EXPORT_HOURS,
                "per_day": settings.DATA_EXPORTS_PER_DAY,
            },
        )


@login_required
@require_http_methods(["POST"])
def export_request(request: HttpRequest) -> HttpResponse:
    user = _customer_login(request)
    try:
        services.data_export_request(user=user, ip_address=client_ip(request))
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("We are preparing your data and will email you a link when it is ready."),
        )
    return redirect("accounts:privacy")


@login_required
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    export = get_object_or_404(DataExport, token=token, user=request.user)
    if not export.is_downloadable(timezone.now()) or not export.file:
        raise Http404
    return private_file_response(
        export.file.name,
        as_attachment=True,
        filename=f"{settings.SITE_NAME}-{request.user.username}-data.zip".replace(" ", "-"),
        content_type="application/zip",
    )


@method_decorator(login_required, name="dispatch")
class LoginDeleteView(ReauthenticationRequiredMixin, View):
    template_name = "accounts/privacy/delete.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _customer_login(request)
        return self._render(ConfirmLoginNameForm(user=user))

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _customer_login(request)
        form = ConfirmLoginNameForm(request.POST, user=user)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.login_delete(user=user, ip_address=client_ip(request))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
            return self._render(form, status=400)
        logout(request)
        return render(request, "accounts/privacy/deleted.html")

    def _render(self, form: ConfirmLoginNameForm, status: int = 200) -> HttpResponse:
        user = self.request.user
        others = services.other_logins(user) if user.is_customer_owner else []
        return render(
            self.request,
            self.template_name,
            {"form": form, "others": others, "days": settings.DATA_RETENTION_DAYS},
            status=status,
        )


@method_decorator(login_required, name="dispatch")
class CustomerCloseView(ReauthenticationRequiredMixin, View):
    template_name = "accounts/privacy/close.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(ConfirmLoginNameForm(user=_owner(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        owner = _owner(request)
        form = ConfirmLoginNameForm(request.POST, user=owner)
        if not form.is_valid():
            return self._render(form, status=400)
        services.customer_close(owner=owner, ip_address=client_ip(request))
        logout(request)
        return render(request, "accounts/privacy/deleted.html", {"customer_closed": True})

    def _render(self, form: ConfirmLoginNameForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "others": services.other_logins(self.request.user),
                "days": settings.DATA_RETENTION_DAYS,
            },
            status=status,
        )


@method_decorator(login_required, name="dispatch")
class OwnershipTransferView(ReauthenticationRequiredMixin, View):
    template_name = "accounts/privacy/transfer.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        owner = _owner(request)
        return self._render(OwnershipTransferForm(members=self._members(owner)))

    def post(self, request: HttpRequest) -> HttpResponse:
        owner = _owner(request)
        # Another customer's login, or one that is not an active member, is not found.
        new_owner = get_object_or_404(
            User,
            pk=request.POST.get("member") if str(request.POST.get("member", "")).isdigit() else 0,
            customer_id=owner.customer_id,
            role=User.Role.MEMBER,
            is_active=True,
            erased_at__isnull=True,
        )
        services.ownership_transfer(owner=owner, new_owner=new_owner, ip_address=client_ip(request))
        messages.success(
            request,
            _("%(name)s is now the owner of the customer account.")
            % {"name": new_owner.get_full_name()},
        )
        return redirect("accounts:profile")

    def _members(self, owner: User) -> list[User]:
        return [m for m in services.other_logins(owner) if m.is_active]

    def _render(self, form: OwnershipTransferForm, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form}, status=status)
