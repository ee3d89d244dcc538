from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView

from accounts import services, throttle
from accounts.activity.flows import current_session_id, login_method_set
from accounts.activity.services import sessions_end_others
from accounts.forms import (
    EmailChangeForm,
    EmailForm,
    InvitationAcceptForm,
    InviteMemberForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PermissionsForm,
    ProfileForm,
    RegistrationForm,
)
from accounts.mfa.flows import password_login_done, recently_authenticated, second_step_start
from accounts.mfa.remember import browser_remembered
from accounts.mfa.selectors import second_step_required
from accounts.mobile import services as mobile_services
from accounts.mobile.views import verify_redirect
from accounts.models import LoginAttempt, MobileVerification, User
from accounts.phone import format_mobile
from accounts.reauth import ReauthenticationRequiredMixin, reauthenticate_redirect
from accounts.selectors import customer_people
from accounts.throttle import mail_allowed, password_check_failed
from portal.exceptions import Refusal
from portal.i18n import remember_language
from portal.net import client_ip


def lockout_response(request: HttpRequest, credentials: dict | None, *args, **kwargs):
    """What axes shows once a login and address are locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)


class RegisterView(FormView):
    template_name = "accounts/register.html"
    form_class = RegistrationForm

    def form_valid(self, form):
        if not throttle.registration_allowed(self.request):
            form.add_error(None, throttle.registration_refused_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Past the mail limits nothing is registered either: the answer is the same page.
        if not mail_allowed(self.request, to=form.cleaned_data["email"]):
            return redirect("accounts:register_done")
        services.customer_register(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            company_name=form.cleaned_data["company_name"],
            contract_number=form.cleaned_data["contract_number"],
            language=self.request.LANGUAGE_CODE,
            ip_address=client_ip(self.request),
        )
        return redirect("accounts:register_done")


class ActivateView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = services.user_activate(token=token)
        if user is None:
            return render(request, "accounts/activate_invalid.html", status=400)
        messages.success(request, _("Your account is active. You can log in now."))
        return redirect("accounts:login")


class ActivationResendView(FormView):
    template_name = "accounts/activation_resend.html"
    form_class = EmailForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if mail_allowed(self.request, to=email):
            services.activation_resend(email=email, language=self.request.LANGUAGE_CODE)
        return render(self.request, "accounts/activation_resend_done.html")


class UsernameReminderView(FormView):
    template_name = "accounts/username_reminder.html"
    form_class = EmailForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if mail_allowed(self.request, to=email):
            services.username_remind(email=email, language=self.request.LANGUAGE_CODE)
        return render(self.request, "accounts/username_reminder_done.html")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if second_step_required(user):
            if not browser_remembered(self.request, user):
                return second_step_start(
                    self.request, user, backend=user.backend, next_url=self.get_success_url()
                )
            login_method_set(self.request, LoginAttempt.Method.REMEMBERED)
        response = super().form_valid(form)
        password_login_done(self.request, user)
        services.user_login_recorded(user=user, ip_address=client_ip(self.request))
        remember_language(self.request, response, user.language)
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(ReauthenticationRequiredMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_invalid(self, form):
        if form.has_error("old_password", code="password_incorrect"):
            password_check_failed(self.request.user.pk)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(
            user=self.request.user,
            acting_user=self.request.user,
            ip_address=client_ip(self.request),
        )
        # Django's session hash already refuses the other sessions; this also unlists
        # them from the Security page and deletes them.
        sessions_end_others(
            user=self.request.user,
            keep_session_id=current_session_id(self.request),
            acting_user=self.request.user,
        )
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not mail_allowed(self.request, to=form.cleaned_data["email"]):
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(
            user=form.user, acting_user=None, ip_address=client_ip(self.request)
        )
        sessions_end_others(user=form.user, keep_session_id=None, acting_user=None)
        return response


@method_decorator(login_required, name="dispatch")
class ProfileView(View):
    template_name = "accounts/profile.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(ProfileForm(instance=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        # Bind to a copy so that a rejected form does not change the header's login name.
        form = ProfileForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if not form.is_valid():
            return self._render(form, status=400)
        mobile = form.cleaned_data["mobile"]
        mobile_changed = mobile != request.user.mobile
        if mobile_changed and not recently_authenticated(request):
            return reauthenticate_redirect(request)
        user = services.profile_update(
            user=request.user,
            acting_user=request.user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
        )
        response = redirect("accounts:profile")
        try:
            if mobile_changed and mobile:
                mobile_services.mobile_change_request(
                    user=user, mobile=mobile, acting_user=user, ip_address=client_ip(request)
                )
                response = verify_redirect(reverse("accounts:profile"))
            elif mobile_changed:
                mobile_services.mobile_remove(
                    user=user, acting_user=user, ip_address=client_ip(request)
                )
            messages.success(request, _("Your details have been saved."))
        except Refusal as refusal:
            messages.error(request, refusal.message)
        remember_language(request, response, user.language)
        return response

    def _render(self, form: ProfileForm, status: int = 200) -> HttpResponse:
        user = self.request.user
        pending = MobileVerification.objects.filter(user=user).first()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "mobile_pending": format_mobile(pending.mobile) if pending else "",
                "mobile_unverified": bool(user.mobile) and not user.has_verified_mobile,
            },
            status=status,
        )


@method_decorator(login_required, name="dispatch")
class EmailChangeView(ReauthenticationRequiredMixin, FormView):
    template_name = "accounts/email_change.html"
    form_class = EmailChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_invalid(self, form):
        if form.has_error("current_password", code="password_incorrect"):
            password_check_failed(self.request.user.pk)
        return super().form_invalid(form)

    def form_valid(self, form):
        new_email = form.cleaned_data["new_email"]
        if mail_allowed(self.request, to=new_email):
            services.email_change_request(
                user=self.request.user, new_email=new_email, ip_address=client_ip(self.request)
            )
        return render(
            self.request,
            "accounts/email_change_sent.html",
            {"new_email": form.cleaned_data["new_email"]},
        )


class EmailChangeConfirmView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            user = services.email_change_confirm(token=token)
        except services.EmailTaken:
            user = None
        if user is None:
            return render(request, "accounts/email_change_invalid.html", status=400)
        messages.success(request, _("Your email address is now %(email)s.") % {"email": user.email})
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


def _owner_required(request: HttpRequest) -> None:
    if not request.user.is_customer_owner:
        raise Http404


@method_decorator(login_required, name="dispatch")
class PeopleView(View):
    """The owner's page of the customer's logins: invite, set permissions, remove."""

    template_name = "accounts/people.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _owner_required(request)
        return self._render(InviteMemberForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        _owner_required(request)
        form = InviteMemberForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        email = form.cleaned_data["email"]
        if mail_allowed(request, to=email):
            services.member_invite(
                customer=request.user.customer,
                acting_user=request.user,
                full_name=form.cleaned_data["full_name"],
                email=email,
                username=form.cleaned_data["username"],
                permissions=form.permissions(),
            )
        messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": email})
        return redirect("accounts:people")

    def _render(self, form: InviteMemberForm, status: int = 200) -> HttpResponse:
        people = customer_people(self.request.user.customer)
        rows = [
            (person, PermissionsForm(instance=person, prefix=f"p{person.pk}")) for person in people
        ]
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "rows": rows,
                "permission_opens": [
                    User.CUSTOMER_PERMISSION_OPENS[name] for name in User.CUSTOMER_PERMISSIONS
                ],
            },
            status=status,
        )


def _member_of_my_customer(request: HttpRequest, pk: int) -> User:
    _owner_required(request)
    return get_object_or_404(
        User,
        pk=pk,
        customer_id=request.user.customer_id,
        role=User.Role.MEMBER,
    )


@login_required
@require_http_methods(["POST"])
def member_permissions(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_of_my_customer(request, pk)
    # Not bound to the member: validating a ModelForm writes into its instance, and the
    # service records what differs from the member as saved.
    form = PermissionsForm(request.POST, prefix=f"p{member.pk}")
    if form.is_valid():
        services.member_update_permissions(
            member=member, acting_user=request.user, permissions=form.permissions()
        )
        messages.success(
            request, _("Permissions of %(name)s saved.") % {"name": member.get_full_name()}
        )
    return redirect("accounts:people")


@login_required
@require_http_methods(["POST"])
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_of_my_customer(request, pk)
    services.member_remove(member=member, acting_user=request.user)
    messages.success(
        request, _("%(name)s can no longer log in.") % {"name": member.get_full_name()}
    )
    return redirect("accounts:people")


class InvitationAcceptView(View):
    template_name = "accounts/invitation_accept.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        member = services.invitation_check(token=token)
        if member is None:
            return render(request, "accounts/invitation_invalid.html", status=400)
        return render(
            request,
            self.template_name,
            {"form": InvitationAcceptForm(user=member), "member": member},
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        member = services.invitation_check(token=token)
        if member is None:
            return render(request, "accounts/invitation_invalid.html", status=400)
        form = InvitationAcceptForm(request.POST, user=member)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "member": member}, status=400)
        services.invitation_accept(member=member, password=form.cleaned_data["password1"])
        if form.cleaned_data["mobile"]:
            return self._verify_mobile_after_login(member, form.cleaned_data["mobile"])
        messages.success(request, _("Your login is ready. You can log in now."))
        return redirect(reverse("accounts:login"))

    def _verify_mobile_after_login(self, member: User, mobile: str) -> HttpResponse:
        try:
            mobile_services.mobile_change_request(
                user=member, mobile=mobile, acting_user=member, ip_address=client_ip(self.request)
            )
        except Refusal as refusal:
            messages.success(self.request, _("Your login is ready. You can log in now."))
            messages.error(self.request, refusal.message)
            return redirect(reverse("accounts:login"))
        messages.success(
            self.request,
            _("Your login is ready. We have sent a code to %(mobile)s: log in to enter it.")
            % {"mobile": format_mobile(mobile)},
        )
        query = urlencode({"next": reverse("accounts:mobile_verify")})
        return redirect(f"{reverse('accounts:login')}?{query}")


class RegisterDoneView(TemplateView):
    template_name = "accounts/register_done.html"
