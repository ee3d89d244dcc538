from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sms.errors import error_text
from sms.purposes import purpose_choices


class SmsMessage(models.Model):
    """One SMS, from the request that asked for it to the provider's last delivery report.

    The body is stored as the recipient would read it, except for secrets (a Support PIN
    is masked); the task that sends the message renders the real text at send time.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent to the provider")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired before sending")
        # Sending began but its result was never recorded (a worker died, an unexpected
        # error): the SMS may or may not have gone out, and it is never resent on its own.
        UNKNOWN = "unknown", _("Outcome unknown")

    # Short labels carry a context: "to", "status" and "error" mean other things elsewhere
    # (a ticket's new value, a ticket's status, a ticket category).
    to = models.CharField(pgettext_lazy("sms recipient", "to"), max_length=20)
    # Named by the caller that sent it (sms.purposes).
    purpose = models.CharField(_("purpose"), max_length=30, choices=purpose_choices)
    body = models.TextField(_("text (secrets masked)"), blank=True)
    status = models.CharField(
        pgettext_lazy("sms delivery", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    provider_sid = models.CharField(_("provider message ID"), max_length=64, blank=True)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    error_message = models.CharField(
        pgettext_lazy("sms delivery", "error"), max_length=500, blank=True
    )
    send_attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    expires_at = models.DateTimeField(_("send no later than"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["ip_address", "created_at"]),
            models.Index(fields=["to", "created_at"]),
            models.Index(fields=["provider_sid"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.to} ({self.get_status_display()})"

    @property
    def error_display(self) -> str:
        """Why the SMS did not go out, in the reader's language; empty when it did."""
        if not (self.error_code or self.error_message):
            return ""
        return error_text(self.error_code)


class InboundSms(models.Model):
    """A message received on the provider's number. Its provider ID is unique, so a
    webhook delivered again (a provider's retry, or a replay of a signed request) is
    handled once."""

    provider_sid = models.CharField(_("provider message ID"), max_length=64, unique=True)
    from_number = models.CharField(pgettext_lazy("sms sender", "from"), max_length=40)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("received SMS")
        verbose_name_plural = _("received SMS")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_number} ({self.provider_sid})"
