"""What the provider's billing system sends the portal: invoices and contract documents
(PDF), the telephone numbers each customer holds, call records and housing traffic. The
portal is not the billing system; it keeps and shows what it is sent."""

import hashlib
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Customer
from tickets.models import PrivateStorage, private_storage

# Kept as `billing_callrecord_YYYYMM` partitions on PostgreSQL (billing/partitions.py).
CALL_RECORD_TABLE = "billing_callrecord"


def _private_storage() -> PrivateStorage:
    return private_storage


def _document_path(instance: models.Model, filename: str) -> str:
    # A random name: the number or title the customer reads is in the row, not the path.
    return f"billing/{instance.customer_id}/{uuid.uuid4().hex}.pdf"


class ApiToken(models.Model):
    """The key of one integration (the billing system, a nightly export) to /api/v1/.
    Only the SHA-256 of the secret is stored; the secret is shown once, when created."""

    PREFIX = "pbt_"

    name = models.CharField(_("integration"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so that a supervisor can tell tokens apart.
    key_start = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_start}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_secret() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class FeedEvent(models.Model):
    """Audit trail of the billing data: every token made or revoked, and every delivery
    (through the API or a management command) with what it changed or refused."""

    class Kind(models.TextChoices):
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        INVOICE = "invoice", _("Invoice received")
        CONTRACT_DOCUMENT = "contract_document", _("Contract document received")
        NUMBERS = "numbers", _("Numbers received")
        CALL_RECORDS = "call_records", _("Call records received")
        TRAFFIC = "traffic", _("Traffic samples received")
        PARTITIONS = "partitions", _("Months of call records made or dropped")

    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What a management command read from, e.g. "import_call_records calls.csv".
    source = models.CharField(_("source"), max_length=255, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("billing data event")
        verbose_name_plural = _("billing data events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class CustomerNumber(models.Model):
    """A telephone number the customer holds, as the billing system last said: call
    records are accepted only from a number of their customer."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="numbers"
    )
    # Digits with a leading "+" when international (billing.feeds.normalise_number).
    number = models.CharField(_("number"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("telephone number")
        verbose_name_plural = _("telephone numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Invoice(models.Model):
    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=50, unique=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="invoices"
    )
    issued_on = models.DateField(_("issued"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    pdf = models.FileField(_("PDF"), storage=_private_storage, upload_to=_document_path)
    pdf_size = models.PositiveIntegerField(_("size"))
    # Tells a PDF sent again from a new one, which replaces the file.
    pdf_sha256 = models.CharField(max_length=64, editable=False)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-number"]
        indexes = [models.Index(fields=["customer", "-issued_on"], name="billing_inv_cust_issued")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="billing_invoice_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_overdue(self, on: date) -> bool:
        """Unpaid after its due date."""
        return self.status == self.Status.UNPAID and self.due_on < on


class ContractDocument(models.Model):
    """A contract, an amendment or price list of the customer, as PDF. `key` is the
    billing system's own name for it, so that sending it again replaces it."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="contract_documents",
    )
    key = models.CharField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    dated = models.DateField(_("date"))
    pdf = models.FileField(_("PDF"), storage=_private_storage, upload_to=_document_path)
    pdf_size = models.PositiveIntegerField(_("size"))
    # Tells a PDF sent again from a new one, which replaces the file.
    pdf_sha256 = models.CharField(max_length=64, editable=False)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["-dated", "title"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "key"], name="billing_contractdoc_key"),
        ]

    def __str__(self) -> str:
        return self.title


class CallRecord(models.Model):
    """One call, as the billing system rated it. On PostgreSQL the table is partitioned
    by month of `started_at` (billing/partitions.py); a key of a partitioned table must
    hold the partition key, hence the primary key (record_id, started_at): a record sent
    again with the same id and start is skipped (README, "Billing data")."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("Outgoing")
        INCOMING = "in", _("Incoming")

    pk = models.CompositePrimaryKey("record_id", "started_at")
    record_id = models.CharField(_("record"), max_length=64)
    started_at = models.DateTimeField(_("started"))
    # Served by the (customer, started_at) index, which leads with the customer.
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    # The customer's own number the call was on: the caller of an outgoing call, the
    # callee of an incoming one (a freephone number the customer pays for).
    number = models.CharField(_("number"), max_length=32)
    caller = models.CharField(_("caller"), max_length=32)
    callee = models.CharField(_("called number"), max_length=32)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.OUTGOING
    )

    class Meta:
        db_table = CALL_RECORD_TABLE
        verbose_name = _("call record")
        verbose_name_plural = _("call records")
        indexes = [
            models.Index(fields=["customer", "started_at"], name="billing_call_cust_started"),
        ]

    def __str__(self) -> str:
        return self.record_id


class TrafficSample(models.Model):
    """Bytes in and out of one housed server's address over the 5 minutes starting at
    `sampled_at`, as the provider's counters measured them."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("address"))
    sampled_at = models.DateTimeField(pgettext_lazy("start of a time span", "from"))
    bytes_in = models.PositiveBigIntegerField(_("bytes in"))
    bytes_out = models.PositiveBigIntegerField(_("bytes out"))

    class Meta:
        verbose_name = _("traffic sample")
        verbose_name_plural = _("traffic samples")
        constraints = [
            # Serves a month of one address, too.
            models.UniqueConstraint(
                fields=["ip_address", "sampled_at"], name="billing_traffic_ip_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.sampled_at:%Y-%m-%d %H:%M}"
