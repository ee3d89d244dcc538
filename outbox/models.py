from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboundEmail(models.Model):
    """One email, from the transaction that wrote it to the mail server's answer.

    The text is kept until the server takes the message and then cleared: it may hold a
    code or a link that signs in, and the record of what was sent needs only its subject.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.CharField(pgettext_lazy("email recipient", "to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, db_index=True)
    # The templates it was rendered from ("accounts/email/activation"), to find a kind.
    template = models.CharField(_("template"), max_length=200, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    status = models.CharField(
        pgettext_lazy("email delivery", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    last_error = models.CharField(_("mail server's answer"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    # Not sent before this time: now for a new email, later after a refusal.
    due_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    # The worker that is sending it (its node name), so that it takes the email back if
    # it restarts after dying mid-send.
    claimed_by = models.CharField(_("sending worker"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_status_display()})"
