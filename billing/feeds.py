"""Bulk feeds of usage (call records, traffic samples): rows read one by one from a
stream of CSV or NDJSON, checked, and written in batches, each batch all or nothing.

The same code serves the API (the request body, never read whole) and the management
commands (a file). What is refused is reported by line number with a reason; the reasons
are part of the API's contract, documented in the README, and stay in English."""

import csv
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from ipaddress import ip_address
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Customer
from billing import partitions
from billing.models import CallRecord, CustomerNumber, TrafficSample

logger = logging.getLogger(__name__)

CSV = "text/csv"
NDJSON = "application/x-ndjson"
# What each format may also be called in a Content-Type header.
CONTENT_TYPES = {
    "text/csv": CSV,
    "application/csv": CSV,
    "application/x-ndjson": NDJSON,
    "application/ndjson": NDJSON,
    "application/jsonl": NDJSON,
    "application/x-jsonlines": NDJSON,
}
# A longer line is refused without being held in memory.
MAX_LINE_BYTES = 16 * 1024
SAMPLE_MINUTES = 5

_RECORD_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_NUMBER_PUNCTUATION = re.compile(r"[\s\-./()]")
_NUMBER = re.compile(r"^\+?[0-9]{3,20}$")


class RowError(Exception):
    """A row refused, with the reason reported for its line."""


def normalise_number(raw: object) -> str:
    """A telephone number as digits, "+" first when international ("00" becomes "+")."""
    if not isinstance(raw, str):
        raise RowError("a number must be text")
    number = _NUMBER_PUNCTUATION.sub("", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not _NUMBER.match(number):
        raise RowError(f"{raw!r} is not a telephone number")
    return number


# --- Reading lines and rows -------------------------------------------------------------


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, the line) from a binary stream, one line in memory at a time; a line
    longer than MAX_LINE_BYTES comes as None and is skipped to its end."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(MAX_LINE_BYTES + 1)
            yield number, None
            continue
        yield number, line


def _decoded(line: bytes) -> str | None:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.removeprefix("\ufeff")


def _ndjson_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict | str]]:
    for number, line in _lines(stream):
        if line is None:
            yield number, f"line longer than {MAX_LINE_BYTES} bytes"
            continue
        text = _decoded(line)
        if text is None:
            yield number, "not UTF-8"
            continue
        if not text.strip():
            continue
        try:
            row = json.loads(text, parse_float=Decimal)
        except ValueError:
            yield number, "not a JSON object"
            continue
        yield number, row if isinstance(row, dict) else "not a JSON object"


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict | str]]:
    too_long: set[int] = set()
    undecodable: set[int] = set()
    line_numbers: list[int] = []

    def texts() -> Iterator[str]:
        for number, line in _lines(stream):
            line_numbers.append(number)
            if line is None:
                too_long.add(number)
                yield "\n"
                continue
            text = _decoded(line)
            if text is None:
                undecodable.add(number)
                yield "\n"
                continue
            yield text

    reader = csv.reader(texts(), strict=True)
    header: list[str] | None = None
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line_numbers[-1], "malformed CSV"
            continue
        number = line_numbers[-1]
        if number in too_long:
            yield number, f"line longer than {MAX_LINE_BYTES} bytes"
            continue
        if number in undecodable:
            yield number, "not UTF-8"
            continue
        if not values or values == [""]:
            continue
        if header is None:
            header = [name.strip() for name in values]
            continue
        if len(values) != len(header):
            yield number, f"{len(values)} fields where the header names {len(header)}"
            continue
        yield number, dict(zip(header, values, strict=True))


def rows_of(stream: IO[bytes], content_type: str) -> Iterator[tuple[int, dict | str]]:
    """(line number, the row as a dict) or (line number, why it cannot be read)."""
    if content_type == CSV:
        return _csv_rows(stream)
    return _ndjson_rows(stream)


# --- Checking fields --------------------------------------------------------------------


def _text(row: dict, name: str, *, required: bool = True) -> str:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(f"{name} is missing")
        return ""
    if not isinstance(value, str | int):
        raise RowError(f"{name} must be text")
    value = str(value).strip()
    if "\x00" in value:
        raise RowError(f"{name} has a NUL character")
    return value


def _moment(row: dict, name: str, now: datetime) -> datetime:
    value = _text(row, name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"{name} is not an ISO 8601 time") from None
    if timezone.is_naive(moment):
        raise RowError(f"{name} has no UTC offset")
    if moment > now:
        raise RowError(f"{name} is in the future")
    return moment


def _count(row: dict, name: str) -> int:
    value = row.get(name)
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"-?[0-9]{1,19}", value):
            raise RowError(f"{name} is not a whole number")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowError(f"{name} is not a whole number")
    if value < 0:
        raise RowError(f"{name} is negative")
    if value >= 2**63:
        raise RowError(f"{name} is too large")
    return value


def _amount(row: dict, name: str) -> Decimal:
    value = row.get(name)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RowError(f"{name} is not a decimal number")
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise RowError(f"{name} is not a decimal number") from None
    if not amount.is_finite() or abs(amount) >= 10**8:
        raise RowError(f"{name} is out of range")
    return amount.quantize(Decimal("0.0001"))


def _currency(row: dict) -> str:
    value = _text(row, "currency").upper()
    if not _CURRENCY.match(value):
        raise RowError("currency is not a 3-letter ISO 4217 code")
    return value


# --- The feeds --------------------------------------------------------------------------


@dataclass
class Checked:
    """A row whose fields are sound, waiting for its contract and number to be known."""

    line: int
    contract_number: str
    values: dict[str, Any]


@dataclass
class Feed:
    """One kind of bulk row: how it is checked, which columns it fills, what makes it
    a duplicate."""

    model: type
    columns: tuple[str, ...]
    conflict: tuple[str, ...]
    check: Callable[[dict, datetime], dict[str, Any]]
    # Whether the customer must own the row's `number` (CustomerNumber).
    needs_number: bool = False


def _check_call(row: dict, now: datetime) -> dict[str, Any]:
    record_id = _text(row, "record_id")
    if not _RECORD_ID.match(record_id):
        raise RowError("record_id must be 1 to 64 letters, digits or . _ : / -")
    started_at = _moment(row, "started_at", now)
    oldest = partitions.oldest_kept_month(now)
    if started_at < oldest.start:
        raise RowError(
            f"started_at is before {oldest}: call records are kept "
            f"{settings.CALL_RECORDS_KEEP_MONTHS} months"
        )
    direction = _text(row, "direction", required=False) or CallRecord.Direction.OUTGOING
    if direction not in CallRecord.Direction.values:
        raise RowError("direction must be out or in")
    caller = normalise_number(_text(row, "caller"))
    callee = normalise_number(_text(row, "callee"))
    duration = _count(row, "duration_seconds")
    if duration >= 2**31:
        raise RowError("duration_seconds is too large")
    return {
        "record_id": record_id,
        "started_at": started_at,
        "number": caller if direction == CallRecord.Direction.OUTGOING else callee,
        "caller": caller,
        "callee": callee,
        "duration_seconds": duration,
        "cost": _amount(row, "cost"),
        "currency": _currency(row),
        "direction": direction,
    }


def _check_sample(row: dict, now: datetime) -> dict[str, Any]:
    try:
        address = str(ip_address(_text(row, "ip_address")))
    except ValueError:
        raise RowError("ip_address is not an IP address") from None
    sampled_at = _moment(row, "sampled_at", now)
    if sampled_at.minute % SAMPLE_MINUTES or sampled_at.second or sampled_at.microsecond:
        raise RowError(f"sampled_at is not on a {SAMPLE_MINUTES}-minute boundary")
    return {
        "ip_address": address,
        "sampled_at": sampled_at,
        "bytes_in": _count(row, "bytes_in"),
        "bytes_out": _count(row, "bytes_out"),
    }


CALL_RECORDS = Feed(
    model=CallRecord,
    columns=(
        "record_id",
        "started_at",
        "customer_id",
        "number",
        "caller",
        "callee",
        "duration_seconds",
        "cost",
        "currency",
        "direction",
    ),
    conflict=("record_id", "started_at"),
    check=_check_call,
    needs_number=True,
)
TRAFFIC_SAMPLES = Feed(
    model=TrafficSample,
    columns=("customer_id", "ip_address", "sampled_at", "bytes_in", "bytes_out"),
    conflict=("ip_address", "sampled_at"),
    check=_check_sample,
)


# --- The report -------------------------------------------------------------------------


@dataclass
class Report:
    """What became of a delivery: rows read, imported, already there (sent before), and
    the rows refused, by line."""

    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)
    failed_batches: list[dict] = field(default_factory=list)
    # Set when the delivery had more rows than one may hold; those after were not read.
    stopped_at_line: int | None = None

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append({"line": line, "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "failed_batches": self.failed_batches,
            "stopped_at_line": self.stopped_at_line,
        }

    def summary(self) -> dict[str, Any]:
        """For the audit trail: the counts, not every line."""
        return {
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
            "failed_batches": len(self.failed_batches),
            "stopped_at_line": self.stopped_at_line,
        }


# --- Writing ----------------------------------------------------------------------------


class _Writer:
    """Writes checked batches of one feed: PostgreSQL's COPY into a temporary table, then
    one INSERT ... SELECT ... ON CONFLICT DO NOTHING; elsewhere bulk_create."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.table = feed.model._meta.db_table
        self.known_partitions: set[partitions.Month] | None = None

    def write(self, rows: list[dict[str, Any]]) -> int:
        """Rows inserted (the others were there already)."""
        if connection.vendor == "postgresql":
            return self._copy(rows)
        return self._bulk_create(rows)

    def _ensure_partitions(self, rows: list[dict[str, Any]]) -> None:
        if self.feed.model is not CallRecord:
            return
        if self.known_partitions is None:
            self.known_partitions = set(partitions.existing_partitions())
        for month in {partitions.Month.of(row["started_at"]) for row in rows}:
            if month not in self.known_partitions:
                partitions.create_partition(month)
                self.known_partitions.add(month)

    def _copy(self, rows: list[dict[str, Any]]) -> int:
        self._ensure_partitions(rows)
        columns = ", ".join(self.feed.columns)
        incoming = f"{self.table}_incoming"
        data = io.StringIO()
        writer = csv.writer(data)
        for row in rows:
            writer.writerow([_copy_value(row[name]) for name in self.feed.columns])
        data.seek(0)
        # Names come from the model, never from input.
        with connection.cursor() as cursor:
            # The columns alone, typed as the table's, without its keys or constraints:
            # those are the table's to enforce on INSERT.
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {incoming} ON COMMIT DELETE ROWS"  # noqa: S608
                f" AS SELECT {columns} FROM {self.table} WITH NO DATA"
            )
            cursor.execute(f"TRUNCATE {incoming}")
            # copy_expert is psycopg's own: its errors are made Django's as execute's are.
            with connection.wrap_database_errors:
                cursor.copy_expert(
                    f"COPY {incoming} ({columns}) FROM STDIN WITH (FORMAT csv)", data
                )
            cursor.execute(
                f"INSERT INTO {self.table} ({columns}) SELECT {columns} FROM {incoming}"  # noqa: S608
                f" ON CONFLICT ({', '.join(self.feed.conflict)}) DO NOTHING"
            )
            return cursor.rowcount

    def _bulk_create(self, rows: list[dict[str, Any]]) -> int:
        model = self.feed.model
        first, second = self.feed.conflict
        existing = set(
            model.objects.filter(**{f"{first}__in": {row[first] for row in rows}}).values_list(
                first, second
            )
        )
        new = {}
        for row in rows:
            key = (row[first], row[second])
            if key not in existing and key not in new:
                new[key] = model(**row)
        model.objects.bulk_create(new.values(), batch_size=500)
        return len(new)


def _copy_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class Importer:
    """Reads a delivery row by row and writes it in batches of BILLING_IMPORT_BATCH_ROWS.
    Contracts and numbers are looked up once per batch, not per row."""

    def __init__(self, feed: Feed, *, now: datetime | None = None) -> None:
        self.feed = feed
        self.now = now or timezone.now()
        self.report = Report()
        self.writer = _Writer(feed)

    def run(self, rows: Iterable[tuple[int, dict | str]]) -> Report:
        batch: list[Checked] = []
        for line, row in rows:
            if self.report.rows >= settings.BILLING_IMPORT_MAX_ROWS:
                self.report.stopped_at_line = line
                break
            self.report.rows += 1
            if isinstance(row, str):
                self.report.reject(line, row)
                continue
            try:
                contract = _text(row, "contract_number")
                batch.append(Checked(line, contract, self.feed.check(row, self.now)))
            except RowError as error:
                self.report.reject(line, str(error))
            if len(batch) >= settings.BILLING_IMPORT_BATCH_ROWS:
                self._flush(batch)
                batch = []
        if batch:
            self._flush(batch)
        self.report.rejected.sort(key=lambda rejected: rejected["line"])
        return self.report

    def _flush(self, batch: list[Checked]) -> None:
        customers = dict(
            Customer.objects.filter(
                contract_number__in={checked.contract_number for checked in batch},
                closed_at__isnull=True,
            ).values_list("contract_number", "pk")
        )
        owners: dict[str, int] = {}
        if self.feed.needs_number:
            owners = dict(
                CustomerNumber.objects.filter(
                    number__in={checked.values["number"] for checked in batch}
                ).values_list("number", "customer_id")
            )
        rows = []
        for checked in batch:
            customer_id = customers.get(checked.contract_number)
            if customer_id is None:
                self.report.reject(checked.line, f"unknown contract {checked.contract_number!r}")
                continue
            if self.feed.needs_number and owners.get(checked.values["number"]) != customer_id:
                self.report.reject(
                    checked.line,
                    f"number {checked.values['number']} is not one of contract "
                    f"{checked.contract_number}'s numbers",
                )
                continue
            rows.append({**checked.values, "customer_id": customer_id})
        if not rows:
            return
        try:
            with transaction.atomic():
                inserted = self.writer.write(rows)
        except DatabaseError:
            logger.exception("A batch of %s could not be written", self.feed.model.__name__)
            self.report.failed_batches.append(
                {
                    "first_line": batch[0].line,
                    "last_line": batch[-1].line,
                    "rows": len(rows),
                    "reason": "the batch could not be written; none of its rows were "
                    "imported: send them again",
                }
            )
            return
        self.report.imported += inserted
        self.report.duplicates += len(rows) - inserted
