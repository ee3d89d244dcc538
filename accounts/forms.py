from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Customer, User, language_choices
from accounts.phone import normalize_mobile
from accounts.selectors import awaiting_activation
from accounts.throttle import password_checks_blocked, password_checks_refusal

USERNAME_HELP = _("Letters, digits and @ . + - _ only.")


USERNAME_TAKEN = _("This username is taken. Please choose another.")


def _clean_username_format(value: str) -> str:
    value = value.strip()
    User.username_validator(value)
    return value


def _username_taken(value: str) -> bool:
    return User.objects.filter(username__iexact=value).exists()


def _clean_username(value: str) -> str:
    value = _clean_username_format(value)
    if _username_taken(value):
        raise ValidationError(USERNAME_TAKEN)
    return value


def _refuse_if_too_many_wrong_passwords(user: User) -> None:
    """Checked before a current password. The views count the wrong ones (error code
    "password_incorrect"); forms only check, so that validating a form twice, in a test or
    from the shell, locks nobody out."""
    if password_checks_blocked(user.pk):
        raise ValidationError(password_checks_refusal(), code="throttled")


class PasswordPairForm(forms.Form):
    """Two password fields that must match and pass Django's validators."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def _clean_password_pair(self, user: User | None) -> None:
        p1 = self.cleaned_data.get("password1")
        p2 = self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
            return
        if p1:
            try:
                password_validation.validate_password(p1, user)
            except ValidationError as error:
                self.add_error("password1", error)


class RegistrationForm(PasswordPairForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    username = forms.CharField(label=_("Username"), max_length=150, help_text=USERNAME_HELP)
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if the contract is in your own name."),
    )
    contract_number = forms.CharField(label=_("Contract number"), max_length=50, required=False)

    field_order = ["full_name", "email", "username", "company_name", "contract_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract_number"].required = settings.REGISTRATION_REQUIRES_CONTRACT_NUMBER
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean_username(self) -> str:
        return _clean_username_format(self.cleaned_data["username"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean_contract_number(self) -> str:
        return self.cleaned_data["contract_number"].strip()

    def clean(self):
        cleaned = super().clean()
        candidate = User(
            username=cleaned.get("username", ""),
            email=cleaned.get("email", ""),
            full_name=cleaned.get("full_name", ""),
        )
        self._clean_password_pair(candidate)
        if not self.errors:
            self._refuse_what_is_taken(cleaned)
        return cleaned

    def _refuse_what_is_taken(self, cleaned: dict) -> None:
        # Said only of an otherwise valid form, so that finding out which usernames and
        # contracts exist costs a full registration each (the usual compromise: a username
        # must be unique, so someone has to be told; the README says so).
        if _username_taken(cleaned["username"]):
            self.add_error("username", USERNAME_TAKEN)
        contract = cleaned.get("contract_number")
        if contract and Customer.objects.filter(contract_number__iexact=contract).exists():
            self.add_error(
                "contract_number",
                _(
                    "This contract already has an account. Ask its owner to invite you "
                    "from the People page."
                ),
            )


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "The login or the password is not correct. Note that the password is case-sensitive."
        ),
        "inactive": _("This account is not active."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                self._raise_if_awaiting_activation(username, password)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def _raise_if_awaiting_activation(self, username: str, password: str) -> None:
        # Said only to someone who knows the password, so it reveals nothing to others.
        try:
            user = User.objects.get_by_login(username)
        except User.DoesNotExist:
            return
        if user.is_active or not awaiting_activation(User.objects.filter(pk=user.pk)).exists():
            return
        if not user.check_password(password):
            return
        raise ValidationError(
            format_html(
                '{} <a href="{}">{}</a>',
                _("Your account is not activated yet. Follow the link in the email we sent you."),
                reverse("accounts:activation_resend"),
                _("Send the link again"),
            ),
            code="not_activated",
        )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ProfileForm(forms.ModelForm):
    # Not the model's field: a new number is saved only once its code is entered, and a
    # number saved before the allowed countries were set is kept as it is.
    mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        help_text=_("International format, e.g. +30 691 234 5678. We send a code to confirm it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "language"]

    field_order = ["full_name", "mobile", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's callable, not the list it gave when this class was made.
        self.fields["language"].choices = language_choices
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("mobile", self.instance.mobile)

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"].strip()
        if not value:
            return ""
        current = self.instance.mobile
        if current and value.replace(" ", "") == current:
            return current
        return normalize_mobile(value)


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self) -> str:
        value = self.cleaned_data["new_email"].strip()
        # An address that belongs to another login is not refused here: saying so would tell
        # any logged-in customer who has an account (the service tells that address instead).
        if value.lower() == self.user.email.lower():
            raise ValidationError(_("This is already your email address."))
        return value

    def clean_current_password(self) -> str:
        value = self.cleaned_data["current_password"]
        _refuse_if_too_many_wrong_passwords(self.user)
        if not self.user.check_password(value):
            raise ValidationError(
                _("Your current password is not correct."), code="password_incorrect"
            )
        return value


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, with the same limit on wrong current passwords as the email change."""

    def clean_old_password(self) -> str:
        _refuse_if_too_many_wrong_passwords(self.user)
        return super().clean_old_password()


class PermissionsForm(forms.ModelForm):
    """The customer permissions of one login, as the model lists them. Unbound and without
    an instance, the boxes follow the model's defaults, as a new member starts."""

    class Meta:
        model = User
        fields = User.CUSTOMER_PERMISSIONS

    def permissions(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in User.CUSTOMER_PERMISSIONS}


class InviteMemberForm(PermissionsForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    username = forms.CharField(label=_("Username"), max_length=150, help_text=USERNAME_HELP)

    field_order = ["full_name", "email", "username"]

    def clean_username(self) -> str:
        return _clean_username(self.cleaned_data["username"])

    def clean_email(self) -> str:
        # An address that already has a login is not refused: saying so would tell who has
        # one. The service tells its holder instead of inviting.
        return self.cleaned_data["email"].strip()


class SetPasswordForm(PasswordPairForm):
    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self._clean_password_pair(self.user)
        return cleaned


class InvitationAcceptForm(SetPasswordForm):
    """The invitee's password and, if they wish, their mobile number: a code is texted to
    it, and it becomes theirs once they enter the code after logging in."""

    mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        help_text=_(
            "Optional. International format, e.g. +30 691 234 5678. We send a code to confirm it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"].strip()
        return normalize_mobile(value) if value else ""


class PasswordResetForm(DjangoPasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, *, request, **kwargs) -> None:
        # Django would render and send over SMTP in the request, and only for an address
        # with a login, which makes that answer measurably slower than the other. The
        # service renders and queues the same work either way.
        email = self.cleaned_data["email"]
        services.password_reset_send(
            email=email, users=list(self.get_users(email)), language=request.LANGUAGE_CODE
        )
