from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportPin(models.Model):
    """A login's Support PIN: the encrypted TOTP secret and the state of its locks.

    The PIN itself is never stored: it is computed from the secret and the time
    (supportpin.pin).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="support_pin",
    )
    encrypted_secret = models.TextField(_("encrypted secret"))
    is_active = models.BooleanField(_("active"), default=True)
    activated_at = models.DateTimeField(_("activated"))
    secret_changed_at = models.DateTimeField(_("secret changed"))
    failure_count = models.PositiveSmallIntegerField(
        _("failures since the last success"), default=0
    )
    # Failures before this moment do not count towards the timed lock
    # (SUPPORT_PIN_SOFT_LOCK_MINUTES): it moves on at each lock, success and regeneration.
    failures_counted_since = models.DateTimeField(_("failures counted since"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    hard_locked_at = models.DateTimeField(
        _("locked until regenerated, since"), null=True, blank=True
    )
    verified_until = models.DateTimeField(_("verified until"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Support PIN")
        verbose_name_plural = _("Support PINs")

    def __str__(self) -> str:
        return str(self.user)

    def is_locked(self, at: datetime) -> bool:
        """Verification is refused at `at`: locked until a new PIN, or for a while."""
        return bool(self.hard_locked_at or (self.locked_until and self.locked_until > at))

    def is_verified(self, at: datetime) -> bool:
        """A caller proved at `at` to be this login, for every agent."""
        return bool(self.is_active and self.verified_until and self.verified_until > at)


class PinEvent(models.Model):
    """Audit trail of a login's Support PIN settings and locks."""

    class Kind(models.TextChoices):
        ACTIVATED = "activated", _("Activated")
        DEACTIVATED = "deactivated", _("Deactivated")
        REGENERATED = "regenerated", _("New PIN generated")
        # The lock's length is a setting, so the event names none: it may have changed.
        LOCKED = "locked", _("Locked for a while after failures")
        HARD_LOCKED = "hard_locked", _("Locked until a new PIN is generated")
        SMS_REQUESTED = "sms_requested", _("PIN sent by SMS")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="pin_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Support PIN event")
        verbose_name_plural = _("Support PIN events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user})"


class VerificationAttempt(models.Model):
    """One PIN an agent entered for a login, and what came of it."""

    class Result(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        WRONG_PIN = "wrong_pin", _("Wrong PIN")
        LOCKED = "locked", _("Refused: PIN verification locked")
        AGENT_THROTTLED = "agent_throttled", _("Refused: too many failures by this agent")
        NOT_ACTIVE = "not_active", _("Refused: Support PIN not active")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="pin_verifications",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="pin_verifications_done",
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    ip_address = models.GenericIPAddressField(_("agent's address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("PIN verification attempt")
        verbose_name_plural = _("PIN verification attempts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "result", "created_at"]),
            models.Index(fields=["agent", "result", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()}: {self.user} by {self.agent}"

    @property
    def succeeded(self) -> bool:
        return self.result == self.Result.VERIFIED


class CallerVerification(VerificationAttempt):
    """The admin's "Verify a caller" page (no data of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("Verify a caller")
        verbose_name_plural = _("Verify a caller")


class AssistedAction(models.Model):
    """Something an agent did for a caller after verifying their PIN (seed 000)."""

    class Kind(models.TextChoices):
        NEW_ORDER_BANK = "new_order_bank", _("New service order paid by bank transfer")
        RENEWAL_BANK = "renewal_bank", _("Service renewal paid by bank transfer")
        UPGRADE_BANK = "upgrade_bank", _("Service upgrade paid by bank transfer")
        DNS_RECORDS = "dns_records", _("DNS records change for a domain name")
        NAMESERVERS = "nameservers", _("Nameserver change for a domain name")
        GR_REVOCATION = "gr_revocation", _(".GR domain name revocation within 5 days")
        ORDER_DETAILS_SENT = (
            "order_details_sent",
            _("Order details sent to the domain's admin or owner for payment"),
        )
        DOMAIN_ADMIN_CHANGE = (
            "domain_admin_change",
            _("Domain admin change after phone confirmation by the admin"),
        )
        PLESK_SETTINGS = "plesk_settings", _("Plesk settings change of a hosting package")
        MINOR_HOSTING_FIX = "minor_hosting_fix", _("Minor fix to a hosting package")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="assisted_actions",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="assisted_actions_done",
    )
    verification = models.ForeignKey(
        VerificationAttempt,
        verbose_name=_("verification"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    kind = models.CharField(_("action"), max_length=30, choices=Kind.choices)
    detail = models.TextField(_("detail"))
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assisted_actions",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("action done for a caller")
        verbose_name_plural = _("actions done for callers")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user})"
