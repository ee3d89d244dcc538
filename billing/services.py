"""Every write of the billing data: API tokens, and what the billing system delivers
(through /api/v1/ or the management commands). A document or a list of numbers is checked
whole before it changes anything; usage in bulk is checked row by row and written batch
by batch (billing/feeds.py). Each leaves a FeedEvent naming the token or login behind it."""

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation

from accounts.models import Customer, User
from billing import feeds, partitions
from billing.models import (
    ApiToken,
    ContractDocument,
    CustomerNumber,
    FeedEvent,
    Invoice,
)
from tickets.attachments import check_upload

logger = logging.getLogger(__name__)

# last_used_at moves at most this often, so that a busy integration is not one write
# per request.
TOKEN_USE_RECORDED_SECONDS = 60
# Invoice numbers and document keys travel in URLs and name the stored files' downloads.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class FeedRefused(Exception):
    """A delivery refused whole, nothing changed. `status` is the HTTP status the API
    answers with; `reason` is part of the API's contract and stays in English."""

    status = 422

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownContract(FeedRefused):
    status = 404


class FeedConflict(FeedRefused):
    status = 409


@dataclass(frozen=True)
class Delivery:
    """Who brought a delivery: an API token, or a login running a management command."""

    token: ApiToken | None = None
    actor: User | None = None
    source: str = ""


def _record(kind: str, delivery: Delivery, **detail: object) -> FeedEvent:
    return FeedEvent.objects.create(
        kind=kind,
        token=delivery.token,
        actor=delivery.actor,
        source=delivery.source[:255],
        detail=detail,
    )


# --- API tokens -------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, name: str, acting_user: User) -> tuple[ApiToken, str]:
    """A new token and its secret, which is not kept: the caller shows it once."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        name=name,
        key_hash=ApiToken.hash_of(secret),
        key_start=secret[: len(ApiToken.PREFIX) + 4],
        created_by=acting_user,
    )
    _record(FeedEvent.Kind.TOKEN_CREATED, Delivery(token=token, actor=acting_user), name=name)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User) -> bool:
    """Revoke the token at once; False when it already was."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=acting_user
    )
    if updated:
        _record(
            FeedEvent.Kind.TOKEN_REVOKED, Delivery(token=token, actor=acting_user), name=token.name
        )
    return bool(updated)


def api_token_used(*, token: ApiToken, at: datetime) -> None:
    """Note that the token was used, at most once a TOKEN_USE_RECORDED_SECONDS."""
    if token.last_used_at and token.last_used_at > at - timedelta(
        seconds=TOKEN_USE_RECORDED_SECONDS
    ):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)


# --- Documents (PDF) --------------------------------------------------------------------


def _checked_pdf(upload: File, name: str) -> tuple[File, str]:
    """The upload if its content is a PDF, with its SHA-256; the attachments' checks of
    size and content (tickets/attachments.py), under the name the portal gives it."""
    upload.name = f"{name}.pdf"
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        if error.code in ("too_large", "empty"):
            with translation.override("en"):
                raise FeedRefused(f"the PDF: {' '.join(error.messages)}") from None
        checked = None
    if checked is None or checked.content_type != "application/pdf":
        raise FeedRefused("the file is not a PDF")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return upload, digest.hexdigest()


def _store_pdf(document: Model, upload: File | None, name: str) -> str | None:
    """Put the PDF on `document` unless it is the one it has: the name of the new file,
    or None. The replaced file is deleted once the change is committed."""
    if upload is None:
        return None
    upload, sha256 = _checked_pdf(upload, name)
    if sha256 == document.pdf_sha256:
        return None
    previous = document.pdf.name
    document.pdf.save(upload.name, upload, save=False)
    document.pdf_size = upload.size
    document.pdf_sha256 = sha256
    if previous:
        storage = document.pdf.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return document.pdf.name


def _save(document: Model, new_file: str | None, record: Callable[[], object]) -> None:
    """Save the document and its audit row; a new file that was not saved is deleted."""
    try:
        document.save()
        record()
    except Exception:
        if new_file:
            document.pdf.storage.delete(new_file)
        raise


def _customer(contract_number: str, *, lock: bool = False) -> Customer:
    customers = Customer.objects.filter(contract_number=contract_number, closed_at__isnull=True)
    if lock:
        customers = customers.select_for_update()
    customer = customers.first()
    if customer is None:
        raise UnknownContract(f"unknown contract {contract_number!r}")
    return customer


# --- Invoices and contract documents ----------------------------------------------------


@transaction.atomic
def invoice_put(
    *,
    number: str,
    contract_number: str,
    issued_on: date,
    period_start: date,
    period_end: date,
    due_on: date,
    amount: Decimal,
    currency: str,
    status: str,
    pdf: File | None,
    delivery: Delivery,
) -> tuple[Invoice, str]:
    """Create or update the invoice `number`: "created", "updated" or "unchanged".
    An invoice's customer, amount and currency never change: another amount under the
    same number is a conflict, refused (the billing system issues a credit note)."""
    if not _NAME.match(number) or len(number) > 50:
        raise FeedRefused(
            "an invoice number is 1 to 50 letters, digits or . _ -, a letter or digit first"
        )
    if period_end < period_start:
        raise FeedRefused("period_end is before period_start")
    if status not in Invoice.Status.values:
        raise FeedRefused(f"status must be one of {', '.join(Invoice.Status.values)}")
    amount = amount.quantize(Decimal("0.01"))
    customer = _customer(contract_number)
    invoice = Invoice.objects.select_for_update().filter(number=number).first()
    if invoice is None:
        if pdf is None:
            raise FeedRefused("a new invoice needs its PDF")
        invoice = Invoice(number=number, customer=customer, amount=amount, currency=currency)
        outcome = "created"
    else:
        if invoice.customer_id != customer.pk:
            raise FeedConflict(f"invoice {number} belongs to another contract")
        if invoice.amount != amount or invoice.currency != currency:
            raise FeedConflict(
                f"invoice {number} exists with amount {invoice.amount} {invoice.currency}"
            )
        outcome = "unchanged"
    changes = {
        "issued_on": issued_on,
        "period_start": period_start,
        "period_end": period_end,
        "due_on": due_on,
        "status": status,
    }
    changed = [name for name, value in changes.items() if getattr(invoice, name) != value]
    for name in changed:
        setattr(invoice, name, changes[name])
    new_file = _store_pdf(invoice, pdf, number)
    if new_file:
        changed.append("pdf")
    if outcome == "unchanged" and changed:
        outcome = "updated"
    if outcome != "unchanged":
        _save(
            invoice,
            new_file,
            lambda: _record(
                FeedEvent.Kind.INVOICE,
                delivery,
                number=number,
                outcome=outcome,
                changed=[] if outcome == "created" else changed,
            ),
        )
    return invoice, outcome


@transaction.atomic
def contract_document_put(
    *,
    contract_number: str,
    key: str,
    title: str,
    dated: date,
    pdf: File | None,
    delivery: Delivery,
) -> tuple[ContractDocument, str]:
    """Create or replace the customer's document `key`: "created", "updated" or
    "unchanged"."""
    if not _NAME.match(key) or len(key) > 100:
        raise FeedRefused(
            "a document key is 1 to 100 letters, digits or . _ -, a letter or digit first"
        )
    customer = _customer(contract_number)
    document = (
        ContractDocument.objects.select_for_update().filter(customer=customer, key=key).first()
    )
    outcome = "unchanged"
    if document is None:
        if pdf is None:
            raise FeedRefused("a new contract document needs its PDF")
        document = ContractDocument(customer=customer, key=key)
        outcome = "created"
    changed = []
    for name, value in (("title", title), ("dated", dated)):
        if getattr(document, name) != value:
            setattr(document, name, value)
            changed.append(name)
    new_file = _store_pdf(document, pdf, key)
    if new_file:
        changed.append("pdf")
    if outcome == "unchanged" and changed:
        outcome = "updated"
    if outcome != "unchanged":
        _save(
            document,
            new_file,
            lambda: _record(
                FeedEvent.Kind.CONTRACT_DOCUMENT,
                delivery,
                contract_number=contract_number,
                key=key,
                outcome=outcome,
                changed=[] if outcome == "created" else changed,
            ),
        )
    return document, outcome


# --- Numbers ----------------------------------------------------------------------------


@transaction.atomic
def customer_numbers_put(
    *, contract_number: str, numbers: list[str], delivery: Delivery
) -> dict[str, list[str]]:
    """Make `numbers` the customer's numbers, all and only them. A number another
    customer held moves to this one (the billing system ported it)."""
    normalised = []
    bad = []
    for raw in numbers:
        try:
            normalised.append(feeds.normalise_number(raw))
        except feeds.RowError as error:
            bad.append(str(error))
    if bad:
        raise FeedRefused("; ".join(bad))
    wanted = set(normalised)
    customer = _customer(contract_number, lock=True)
    held = set(customer.numbers.values_list("number", flat=True))
    elsewhere = set(
        CustomerNumber.objects.filter(number__in=wanted - held).values_list("number", flat=True)
    )
    removed = held - wanted
    added = wanted - held - elsewhere
    customer.numbers.filter(number__in=removed).delete()
    CustomerNumber.objects.filter(number__in=elsewhere).update(customer=customer)
    CustomerNumber.objects.bulk_create(
        CustomerNumber(customer=customer, number=number) for number in sorted(added)
    )
    result = {
        "added": sorted(added),
        "moved": sorted(elsewhere),
        "removed": sorted(removed),
        "unchanged": sorted(held & wanted),
    }
    if added or elsewhere or removed:
        _record(
            FeedEvent.Kind.NUMBERS,
            delivery,
            contract_number=contract_number,
            added=result["added"],
            moved=result["moved"],
            removed=result["removed"],
        )
    return result


# --- Usage in bulk ----------------------------------------------------------------------


def _usage_import(
    feed: feeds.Feed, kind: str, stream: IO[bytes], content_type: str, delivery: Delivery
) -> feeds.Report:
    # Not one transaction: each batch commits on its own (feeds.Importer), so that a
    # large delivery neither holds locks for minutes nor loses what was sound.
    report = feeds.Importer(feed).run(feeds.rows_of(stream, content_type))
    _record(kind, delivery, **report.summary())
    return report


def call_records_import(
    *, stream: IO[bytes], content_type: str, delivery: Delivery
) -> feeds.Report:
    """Import call records from CSV or NDJSON (README, "Billing data")."""
    return _usage_import(
        feeds.CALL_RECORDS, FeedEvent.Kind.CALL_RECORDS, stream, content_type, delivery
    )


def traffic_samples_import(
    *, stream: IO[bytes], content_type: str, delivery: Delivery
) -> feeds.Report:
    """Import 5-minute traffic samples from CSV or NDJSON (README, "Billing data")."""
    return _usage_import(
        feeds.TRAFFIC_SAMPLES, FeedEvent.Kind.TRAFFIC, stream, content_type, delivery
    )


# --- Partitions -------------------------------------------------------------------------


@transaction.atomic
def call_record_partitions_maintain(*, now: datetime) -> dict[str, list[str]]:
    """Make the months of call records up to CALL_RECORDS_MONTHS_AHEAD ahead, and drop
    those older than CALL_RECORDS_KEEP_MONTHS. Nothing to do on SQLite."""
    if not partitions.is_partitioned():
        return {"created": [], "dropped": []}
    existing = set(partitions.existing_partitions())
    current = partitions.Month.of(now)
    wanted = {current.shifted(ahead) for ahead in range(settings.CALL_RECORDS_MONTHS_AHEAD + 1)}
    created = sorted(wanted - existing)
    oldest = partitions.oldest_kept_month(now)
    dropped = sorted(month for month in existing if month < oldest)
    for month in created:
        partitions.create_partition(month)
    for month in dropped:
        partitions.drop_partition(month)
    result = {"created": [str(m) for m in created], "dropped": [str(m) for m in dropped]}
    if created or dropped:
        logger.info("Call record months made %s, dropped %s", result["created"], result["dropped"])
        _record(FeedEvent.Kind.PARTITIONS, Delivery(source="beat"), **result)
    return result
