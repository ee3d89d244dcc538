"""Reads of the billing data."""

from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import Customer
from billing import partitions
from billing.models import ApiToken, CallRecord, ContractDocument, Invoice, TrafficSample


def api_token_for(secret: str) -> ApiToken | None:
    """The active token whose secret this is, found by its hash."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    return ApiToken.objects.filter(
        key_hash=ApiToken.hash_of(secret), revoked_at__isnull=True
    ).first()


def invoices_of(customer: Customer) -> QuerySet[Invoice]:
    """The customer's invoices, the newest first (served by the (customer, issued) index)."""
    return Invoice.objects.filter(customer=customer).order_by("-issued_on", "-number")


def contract_documents_of(customer: Customer) -> QuerySet[ContractDocument]:
    return ContractDocument.objects.filter(customer=customer).order_by("-dated", "title")


@dataclass(frozen=True)
class MonthChoice:
    """A calendar month in the portal's time zone, as the usage pages show it."""

    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None, *, today: date) -> "MonthChoice":
        """`2026-11`; anything else (missing, malformed) is the month of `today`."""
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            return cls(year, month) if 1 <= month <= 12 and 2000 <= year <= 9999 else cls.of(today)
        except ValueError:
            return cls.of(today)

    @classmethod
    def of(cls, day: date) -> "MonthChoice":
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return monthrange(self.year, self.month)[1]

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at local midnight."""
        tz = timezone.get_current_timezone()
        start = datetime(self.year, self.month, 1, tzinfo=tz)
        after = self.first_day + timedelta(days=self.days)
        return start, datetime(after.year, after.month, 1, tzinfo=tz)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# The sort keys the call records page accepts, and the column each sorts by; the record
# id breaks ties so that pages do not overlap.
CALL_RECORD_SORTS = {
    "time": "started_at",
    "duration": "duration_seconds",
    "cost": "cost",
}


def call_record_months(customer: Customer) -> list[MonthChoice]:
    """The months in which the customer has call records, the newest first, among the
    months kept (CALL_RECORDS_KEEP_MONTHS). One query, with an EXISTS per month: each is one
    probe of the (customer, started_at) index, where grouping the customer's records by
    month would read all of them (24 months of 2,000 calls are 48,000 rows)."""
    oldest = partitions.oldest_kept_month(timezone.now())
    newest = MonthChoice.of(timezone.localdate())
    candidates = []
    index = newest.year * 12 + newest.month - 1
    while index >= oldest.year * 12 + oldest.month - 1:
        candidates.append(MonthChoice(index // 12, index % 12 + 1))
        index -= 1
    table = connection.ops.quote_name(CallRecord._meta.db_table)
    if connection.vendor == "postgresql":
        # One array of each bound: a plan of its own per month (a UNION of 25 rows) costs
        # more to plan than to run, and runs in parallel workers for nothing.
        months_sql = (
            "SELECT n - 1 AS n, month_start, month_end FROM unnest(%s::timestamptz[],"
            " %s::timestamptz[]) WITH ORDINALITY AS bounds(month_start, month_end, n)"
        )
        params: list = [[m.bounds()[0] for m in candidates], [m.bounds()[1] for m in candidates]]
    else:
        adapt = connection.ops.adapt_datetimefield_value
        months_sql = " UNION ALL ".join(
            f"SELECT {n} AS n, %s AS month_start, %s AS month_end" for n in range(len(candidates))
        )
        params = [adapt(moment) for month in candidates for moment in month.bounds()]
    with connection.cursor() as cursor:
        # Names come from the model and the numbers from this loop, never from input.
        cursor.execute(
            f"SELECT months.n FROM ({months_sql}) months WHERE EXISTS ("  # noqa: S608
            f"SELECT 1 FROM {table} record WHERE record.customer_id = %s"
            " AND record.started_at >= months.month_start"
            " AND record.started_at < months.month_end)",
            [*params, customer.pk],
        )
        found = sorted(row[0] for row in cursor.fetchall())
    return [candidates[n] for n in found]


def call_records_of(
    customer: Customer, *, month: MonthChoice, number: str | None = None
) -> QuerySet[CallRecord]:
    """The customer's call records of one month (and one of its numbers), unordered:
    served by the (customer, started_at) index of the month's partitions."""
    start, end = month.bounds()
    records = CallRecord.objects.filter(
        customer=customer, started_at__gte=start, started_at__lt=end
    )
    if number:
        records = records.filter(number=number)
    return records


def call_records_sorted(records: QuerySet[CallRecord], sort: str) -> QuerySet[CallRecord]:
    """`sort` is a key of CALL_RECORD_SORTS, `-` first for descending; the caller has
    checked it (call_record_sort)."""
    descending = sort.startswith("-")
    column = CALL_RECORD_SORTS[sort.lstrip("-")]
    prefix = "-" if descending else ""
    return records.order_by(f"{prefix}{column}", f"{prefix}record_id")


def call_record_sort(value: str | None) -> str:
    """The sort asked for if it is one the page offers, else the newest first."""
    if value and value.lstrip("-") in CALL_RECORD_SORTS and value.count("-") <= 1:
        return value
    return "-time"


def call_records_export(records: QuerySet[CallRecord], columns: tuple[str, ...]) -> Iterator[tuple]:
    """The records' `columns`, oldest first, read in chunks (a server-side cursor on
    PostgreSQL), so that memory stays flat for a month of any size."""
    return (
        records.order_by("started_at", "record_id").values_list(*columns).iterator(chunk_size=2000)
    )


@dataclass(frozen=True)
class CallTotals:
    currency: str
    calls: int
    seconds: int
    cost: Decimal

    @property
    def minutes(self) -> Decimal:
        return (Decimal(self.seconds) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CallMonth:
    """A month of calls as its page shows them: the totals, one per currency (one, as a
    rule), and (day, calls, seconds) for every day of the month, days without calls
    included."""

    totals: list[CallTotals]
    per_day: list[tuple[date, int, int]]

    @property
    def calls(self) -> int:
        return sum(total.calls for total in self.totals)


def call_month_figures(records: QuerySet[CallRecord], month: MonthChoice) -> CallMonth:
    """Totals and daily figures of `records` (one month's) from one aggregate of the
    database by day and currency: the month's records are read once."""
    rows = (
        records.order_by()
        .annotate(day=TruncDate("started_at"))
        .values("day", "currency")
        .annotate(calls=Count("*"), seconds=Sum("duration_seconds"), cost=Sum("cost"))
    )
    by_currency: dict[str, list] = {}
    by_day: dict[date, list[int]] = {}
    for row in rows:
        total = by_currency.setdefault(row["currency"], [0, 0, Decimal(0)])
        total[0] += row["calls"]
        total[1] += row["seconds"]
        total[2] += row["cost"]
        day = by_day.setdefault(row["day"], [0, 0])
        day[0] += row["calls"]
        day[1] += row["seconds"]
    days = [month.first_day + timedelta(days=n) for n in range(month.days)]
    return CallMonth(
        totals=[
            CallTotals(currency, calls, seconds, cost)
            for currency, (calls, seconds, cost) in sorted(by_currency.items())
        ],
        per_day=[(day, *by_day.get(day, (0, 0))) for day in days],
    )


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, *, fraction: float, **extra: object) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def _percentile(values: list[int], fraction: float) -> float:
    """percentile_cont, in Python: linear interpolation between the closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def traffic_addresses(customer: Customer) -> list[tuple[str, MonthChoice]]:
    """(address, month) for each month in which each of the customer's housed addresses
    sent samples, the newest month first."""
    rows = (
        TrafficSample.objects.filter(customer=customer)
        .annotate(month=TruncMonth("sampled_at"))
        .values_list("ip_address", "month")
        .distinct()
        .order_by("-month", "ip_address")
    )
    return [(ip, MonthChoice.of(timezone.localtime(month))) for ip, month in rows]


def traffic_of(customer: Customer, *, ip_address: str, month: MonthChoice) -> QuerySet:
    start, end = month.bounds()
    return TrafficSample.objects.filter(
        customer=customer, ip_address=ip_address, sampled_at__gte=start, sampled_at__lt=end
    )


@dataclass(frozen=True)
class TrafficFigures:
    """The 95th percentile of the 5-minute rates of a month, in bytes per 5 minutes
    (views turn them into Mbit/s, traffic_rate_mbits)."""

    p95_in: float
    p95_out: float
    samples: int


BILLING_PERCENTILE = 0.95


def traffic_figures(samples: QuerySet[TrafficSample]) -> TrafficFigures:
    if connection.vendor == "postgresql":
        row = samples.order_by().aggregate(
            p95_in=PercentileCont("bytes_in", fraction=BILLING_PERCENTILE),
            p95_out=PercentileCont("bytes_out", fraction=BILLING_PERCENTILE),
            samples=Count("*"),
        )
        return TrafficFigures(
            p95_in=row["p95_in"] or 0.0, p95_out=row["p95_out"] or 0.0, samples=row["samples"]
        )
    pairs = list(samples.values_list("bytes_in", "bytes_out"))
    return TrafficFigures(
        p95_in=_percentile([p[0] for p in pairs], BILLING_PERCENTILE),
        p95_out=_percentile([p[1] for p in pairs], BILLING_PERCENTILE),
        samples=len(pairs),
    )


def traffic_per_day(
    samples: QuerySet[TrafficSample], month: MonthChoice
) -> list[tuple[date, int, int]]:
    """(day, bytes in, bytes out) for every day of the month."""
    rows = {
        row["day"]: (row["bytes_in"], row["bytes_out"])
        for row in samples.order_by()
        .annotate(day=TruncDate("sampled_at"))
        .values("day")
        .annotate(bytes_in=Sum("bytes_in"), bytes_out=Sum("bytes_out"))
    }
    days = [month.first_day + timedelta(days=n) for n in range(month.days)]
    return [(day, *rows.get(day, (0, 0))) for day in days]


def traffic_rate_mbits(bytes_per_sample: float) -> float:
    """Bytes of one 5-minute sample as the mean rate over it, in Mbit/s."""
    return bytes_per_sample * 8 / 300 / 1_000_000
