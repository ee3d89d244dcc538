from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket, private_storage


def _private_storage():
    return private_storage


class InboundEmail(models.Model):
    """One email fetched from a support mailbox, stored raw before anything is done with
    it, so that a crash at any point loses nothing and processes nothing twice."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Waiting to be processed")
        PROCESSED = "processed", _("Added to a request")
        REFUSED = "refused", _("Refused")
        IGNORED = "ignored", _("Ignored (automatic mail)")
        BOUNCE = "bounce", _("Bounce report")
        THROTTLED = "throttled", _("Throttled")
        FAILED = "failed", _("Failed")

    mailbox = models.CharField(_("mailbox"), max_length=200, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    raw = models.FileField(_("raw message"), storage=_private_storage, upload_to="inbound/")
    sender = models.CharField(_("sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reason = models.TextField(_("reason"), blank=True)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    opened_ticket = models.BooleanField(_("opened the request"), default=False)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to the login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class RefusalReply(models.Model):
    """The polite refusal sent to an address on a day: at most one each (seed 002)."""

    sender = models.CharField(max_length=254)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("sender"), "day", name="mailin_one_refusal_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.day}"
