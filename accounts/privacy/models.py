import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer
from tickets.models import private_storage


def new_export_token() -> str:
    return secrets.token_urlsafe(32)


def _export_storage():
    return private_storage


class DataExport(models.Model):
    """A "Download my data" request: the ZIP built by a task under PRIVATE_MEDIA_ROOT,
    downloadable by its login only, for DATA_EXPORT_HOURS, then deleted. Staff see the
    status, never the content."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        EXPIRED = "expired", _("Expired and deleted")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    token = models.CharField(max_length=64, unique=True, default=new_export_token, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    file = models.FileField(storage=_export_storage, upload_to="exports/", blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    def is_downloadable(self, at: datetime) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and at < self.expires_at
        )


class Deletion(models.Model):
    """A deleted login or a closed customer account, for staff: what was done and when,
    and for a closed customer until when its requests are kept."""

    class Scope(models.TextChoices):
        LOGIN = "login", _("Login deleted")
        CUSTOMER = "customer", _("Customer account closed")

    class Status(models.TextChoices):
        ERASED = "erased", _("Personal data erased")
        KEPT = "kept", _("Erased; requests kept without names")
        PURGED = "purged", _("Purged")

    scope = models.CharField(_("what"), max_length=10, choices=Scope.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    login = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    customer_number = models.CharField(_("contract number"), max_length=50, blank=True)
    requested_by_owner = models.BooleanField(_("done by the owner"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    purge_after = models.DateTimeField(_("requests kept until"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)

    class Meta:
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} #{self.pk}"
