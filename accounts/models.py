import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django_otp.models import CooldownMixin, Device, ThrottlingMixin

from accounts import codes
from accounts.phone import validate_mobile


def language_choices() -> list[tuple[str, str]]:
    """The languages of settings.LANGUAGES, each named in itself as the language switch
    names them. A callable, so that adding a language needs no migration."""
    return [
        (code, capfirst(get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]


class Customer(models.Model):
    """The company or person holding the contract; its logins are Users."""

    class Plan(models.TextChoices):
        BASIC = "basic", _("Basic")
        PREMIUM = "premium", _("Premium")
        BUSINESS = "business", _("Business")

    name = models.CharField(_("name"), max_length=200)
    contract_number = models.CharField(
        _("contract number"), max_length=50, unique=True, null=True, blank=True
    )
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, default=Plan.BASIC)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the owner closed the customer account (accounts.privacy): its logins are
    # erased, its requests kept without names until DATA_RETENTION_DAYS have passed.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self) -> str:
        if self.closed_at:
            return self.display_name
        if self.contract_number:
            return f"{self.name} ({self.contract_number})"
        return self.name

    @property
    def display_name(self) -> str:
        """The name staff and the customer's people read; a closed account has none."""
        return gettext("Deleted customer") if self.closed_at else self.name


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username: str) -> "User":
        return self.get(username__iexact=username)

    def get_by_login(self, login: str) -> "User":
        """The user whose username or email is `login`, ignoring case."""
        login = login.strip()
        if "@" in login:
            return self.get(email__iexact=login)
        return self.get(username__iexact=login)


class User(AbstractUser):
    """A personal login. Every non-staff user belongs to exactly one Customer."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email address"))
    mobile = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[validate_mobile],
        help_text=_("International format, e.g. +30 691 234 5678."),
    )
    # Set when the code sent to `mobile` was entered; nothing is sent to an unverified
    # number (numbers saved before verification existed wait for their next use).
    mobile_verified_at = models.DateTimeField(_("mobile verified"), null=True, blank=True)
    # Set when a notification to the email address came back undeliverable (a bounce
    # report read by the email channel); cleared when the address changes.
    email_bounced_at = models.DateTimeField(_("email bounced"), null=True, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=language_choices,
        default=settings.LANGUAGE_CODE,
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="logins",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, blank=True)
    # Per-login permissions an owner gives to the other people of the customer (seed 003).
    # A new permission is a field here, its name in CUSTOMER_PERMISSIONS and a migration:
    # the people page, the admin and the agents' verify page all read that list.
    can_view_invoices = models.BooleanField(_("can see invoices"), default=True)
    can_view_call_records = models.BooleanField(_("can see call records"), default=True)
    can_view_all_tickets = models.BooleanField(
        _("can see all the customer's requests"), default=False
    )
    can_use_support_pin = models.BooleanField(_("can use the Support PIN"), default=False)
    CUSTOMER_PERMISSIONS = (
        "can_view_invoices",
        "can_view_call_records",
        "can_view_all_tickets",
        "can_use_support_pin",
    )
    # What each permission opens, as the People page explains it to the owner.
    CUSTOMER_PERMISSION_OPENS = {
        "can_view_invoices": _("Invoices: the invoices and contracts pages"),
        "can_view_call_records": _("Call records: the call records and housing traffic pages"),
        "can_view_all_tickets": _(
            "All requests: every request of the customer, not only their own"
        ),
        "can_use_support_pin": _(
            "Support PIN: a PIN of their own, to prove who they are when they call support"
        ),
    }

    # Set when the login was deleted (accounts.privacy): its personal data is erased and
    # the row stays only so that the customer's requests keep their author.
    erased_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    # Copies of what other tables hold, read on every page with the login so that no page
    # asks those tables. Each is written by the one place that changes what it copies,
    # with an UPDATE (never by a save of the login, see save()):
    # whether the login has a confirmed second factor (accounts.mfa.services: every
    # device's save and delete), and whether its Support PIN is on (supportpin.services).
    has_second_factor = models.BooleanField(
        _("has two-factor authentication"), default=False, editable=False
    )
    has_active_support_pin = models.BooleanField(
        _("has an active Support PIN"), default=False, editable=False
    )
    DENORMALISED_FIELDS = ("has_second_factor", "has_active_support_pin")

    objects = PortalUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("login")
        verbose_name_plural = _("logins")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [
            # The staff in name order (the queue's "assign to" list), without reading every
            # customer's login.
            models.Index(
                fields=["full_name"],
                condition=models.Q(is_staff=True, is_active=True),
                name="accounts_user_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name()

    def save(self, **kwargs) -> None:
        # A login read before another request changed a copied flag (a device confirmed
        # while a password change was under way) must not write the old value back.
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            skipped = {*self.DENORMALISED_FIELDS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in skipped
            ]
        super().save(**kwargs)

    def get_full_name(self) -> str:
        if self.erased_at:
            return gettext("Former member")
        return self.full_name or self.username

    def get_short_name(self) -> str:
        if self.erased_at:
            return gettext("Former member")
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @property
    def has_verified_mobile(self) -> bool:
        """Whether SMS (a Support PIN, a code) may be sent to the login's mobile."""
        return bool(self.mobile) and self.mobile_verified_at is not None

    @property
    def is_customer_owner(self) -> bool:
        return self.customer_id is not None and self.role == self.Role.OWNER

    def has_customer_permission(self, name: str) -> bool:
        """Owners hold every permission of their customer; members what the owner gave."""
        if name not in self.CUSTOMER_PERMISSIONS:
            raise ValueError(f"{name!r} is not a customer permission")
        if self.customer_id is None:
            return False
        if self.is_customer_owner:
            return True
        return bool(getattr(self, name))


class AccountEvent(models.Model):
    """Audit trail of account changes: who did what to which login, and when."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACTIVATED = "activated", _("Activated")
        LOGGED_IN = "logged_in", _("Logged in")
        PROFILE_CHANGED = "profile_changed", _("Profile changed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        EMAIL_CHANGE_REQUESTED = "email_change_requested", _("Email change requested")
        EMAIL_CHANGED = "email_changed", _("Email changed")
        MEMBER_INVITED = "member_invited", _("Member invited")
        MEMBER_JOINED = "member_joined", _("Member joined")
        PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        TWO_FACTOR_ADDED = "two_factor_added", _("Two-factor method added")
        TWO_FACTOR_REMOVED = "two_factor_removed", _("Two-factor method removed")
        TWO_FACTOR_DEFAULT = "two_factor_default", _("Default two-factor method chosen")
        RECOVERY_CODES = "recovery_codes", _("Recovery codes generated")
        TWO_FACTOR_LOCKED = "two_factor_locked", _("Second step locked")
        BROWSERS_FORGOTTEN = "browsers_forgotten", _("Remembered browsers forgotten")
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset by support")
        MOBILE_CHANGE_REQUESTED = "mobile_change_requested", _("Mobile change requested")
        MOBILE_VERIFIED = "mobile_verified", _("Mobile verified")
        MOBILE_REMOVED = "mobile_removed", _("Mobile removed")
        OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Ownership transferred")
        LOGIN_DELETED = "login_deleted", _("Login deleted")
        CUSTOMER_CLOSED = "customer_closed", _("Customer account closed")
        DATA_EXPORT_REQUESTED = "data_export_requested", _("Data export requested")
        SESSIONS_ENDED = "sessions_ended", _("Signed out of other devices")

    user = models.ForeignKey(
        User, verbose_name=_("login"), on_delete=models.CASCADE, related_name="account_events"
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user})"


# --- Two-factor authentication ----------------------------------------------------------
# The devices themselves are django-otp's (otp_totp, otp_email) and django-otp-webauthn's;
# what follows is what the portal adds: recovery codes stored hashed, and per-login state.


def new_salt() -> str:
    return secrets.token_hex(16)


class TwoFactorState(models.Model):
    """Per-login two-factor state that is not a device: the chosen default method, the
    failures counted across all devices, and the generation that revokes remembered
    browsers whenever a 2FA setting changes."""

    user = models.OneToOneField(
        User, verbose_name=_("login"), on_delete=models.CASCADE, related_name="two_factor"
    )
    default_method = models.CharField(_("default method"), max_length=20, blank=True)
    generation = models.PositiveIntegerField(_("generation"), default=0)
    failures = models.PositiveIntegerField(_("failed codes"), default=0)
    locked_until = models.DateTimeField(_("second step locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor state")
        verbose_name_plural = _("two-factor states")

    def __str__(self) -> str:
        return str(self.user)

    def is_locked(self, at) -> bool:
        return self.locked_until is not None and at < self.locked_until


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A login's set of single-use recovery codes. Unlike django-otp's static tokens,
    the codes are kept only as salted SHA-256 digests: they are long random strings, so a
    slow password hash would add nothing but latency."""

    salt = models.CharField(max_length=32, default=new_salt)

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def digest(self, code: str) -> str:
        return hashlib.sha256(f"{self.salt}:{code}".encode()).hexdigest()

    def verify_token(self, token: str) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        used = self.codes.filter(digest=self.digest(token)).delete()[0]
        if used:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return bool(used)

    def get_throttle_factor(self) -> int:
        return settings.TWO_FACTOR_THROTTLE_FACTOR


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device.user} #{self.pk}"


# --- Mobile numbers and codes by SMS ----------------------------------------------------


class MobileVerification(models.Model):
    """A mobile number waiting for the code sent to it. It becomes the login's mobile
    once the code is entered; until then the number registered before stays in force.
    The code is derived from `nonce` (accounts.codes), never stored."""

    CODE_PURPOSE = "mobile"

    user = models.OneToOneField(
        User, verbose_name=_("login"), on_delete=models.CASCADE, related_name="mobile_pending"
    )
    mobile = models.CharField(_("new mobile"), max_length=20)
    nonce = models.CharField(max_length=32, default=codes.new_nonce)
    expires_at = models.DateTimeField(_("code valid until"))
    failures = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    resends = models.PositiveSmallIntegerField(_("codes sent again"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("mobile verification")
        verbose_name_plural = _("mobile verifications")

    def __str__(self) -> str:
        return f"{self.user} → {self.mobile}"

    def code(self) -> str:
        return codes.code_for(self.CODE_PURPOSE, f"{self.pk}:{self.mobile}:{self.nonce}")

    def code_matches(self, typed: str) -> bool:
        return codes.code_matches(self.CODE_PURPOSE, f"{self.pk}:{self.mobile}:{self.nonce}", typed)

    def is_expired(self, at) -> bool:
        return at >= self.expires_at


class SmsDevice(CooldownMixin, ThrottlingMixin, Device):
    """Codes by SMS as a second factor, always to the login's verified mobile (never to
    a number of its own). A code is derived from `nonce` (accounts.codes), works until
    `valid_until`, once."""

    CODE_PURPOSE = "two-factor"

    nonce = models.CharField(max_length=32, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("SMS codes")
        verbose_name_plural = _("SMS codes")

    def code(self) -> str:
        return codes.code_for(self.CODE_PURPOSE, f"{self.pk}:{self.nonce}")

    def code_is_current(self, at) -> bool:
        return bool(self.nonce) and self.valid_until is not None and at < self.valid_until

    def verify_token(self, token: str) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        now = timezone.now()
        if self.code_is_current(now) and codes.code_matches(
            self.CODE_PURPOSE, f"{self.pk}:{self.nonce}", token
        ):
            self.nonce = ""
            self.valid_until = None
            self.throttle_reset(commit=False)
            self.cooldown_reset(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self) -> int:
        return settings.TWO_FACTOR_THROTTLE_FACTOR

    def get_cooldown_duration(self) -> int:
        return settings.TWO_FACTOR_SMS_COOLDOWN_SECONDS


# --- Login history and signed-in devices ----------------------------------------------


class LoginAttempt(models.Model):
    """One attempt to log in, on the portal's login, the admin's or the second step.

    A name that is no login's is recorded without a user and without the name: people
    type passwords into the name field, and a hash of a short name is easily reversed."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        WRONG_PASSWORD = "wrong_password", _("Wrong password")
        LOCKED = "locked", _("Locked out")
        WRONG_CODE = "wrong_code", _("Wrong code")
        UNKNOWN_LOGIN = "unknown_login", _("Unknown login")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        APP = "app", _("Authenticator app")
        PASSKEY = "passkey", _("Passkey")
        SMS = "sms", _("Code by SMS")
        EMAIL = "email", _("Code by email")
        RECOVERY = "recovery", _("Recovery code")
        REMEMBERED = "remembered", _("Remembered browser")

    user = models.ForeignKey(
        User,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="login_attempts",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    browser_family = models.CharField(_("browser"), max_length=40, blank=True)
    browser_version = models.CharField(_("browser version"), max_length=20, blank=True)
    system = models.CharField(_("system"), max_length=20, blank=True)
    # The SignedInSession the login opened (a plain number: the row goes when it ends).
    session_id = models.BigIntegerField(_("session"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login history")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.user or '-'})"


class SignedInSession(models.Model):
    """A session logged in to a login, indexed so that the login can see and end it.

    The session stores the id of its row; a logged-in session whose row is gone is logged
    out at its next request, so deleting the row ends the session whatever the session
    store does."""

    user = models.ForeignKey(
        User, verbose_name=_("login"), on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(_("session"), max_length=40, db_index=True, editable=False)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    browser_family = models.CharField(_("browser"), max_length=40, blank=True)
    browser_version = models.CharField(_("browser version"), max_length=20, blank=True)
    system = models.CharField(_("system"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last active"), default=timezone.now)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.browser_family} {self.ip_address or ''}".strip()
