"""The call records part of `make bench` (issue #13): the largest table the portal holds.

Seeds 10 million call records over the last three whole months (once; later runs reuse
them): 1,650 customers with 2,000 calls a month each, and one with 50,000 in the last
month, written by PostgreSQL itself (INSERT ... SELECT from generate_series, into the
monthly partitions, with their indexes). Then, against the gunicorn that bench/run.py
started, it measures:

- a customer's month page (2,000 calls; and 50,000 calls, sorted by cost), median and p95;
- the month's totals and daily figures as the page asks the database for them, p95;
- the CSV export of the 50,000-call month: its time, and the gunicorn workers' memory while
  it streams against while exporting 2,000 rows (flat memory: the same);
- the API import of 100,000 call records as NDJSON in one request, rows per second, and
  the same request again (all duplicates). The imported rows are deleted afterwards.
"""

import json
import statistics
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

CALL_CUSTOMERS = 1_650
CALLS_PER_MONTH = 2_000
BIG_CUSTOMER_CALLS = 50_000
MONTHS = 3
API_ROWS = 100_000
TOTALS_SAMPLES = 200


def seeded_months() -> list:
    """The last MONTHS whole months (UTC, as the partitions), the oldest first."""
    from billing.partitions import Month

    this_month = Month.of(datetime.now(UTC))
    return [this_month.shifted(-n) for n in range(MONTHS, 0, -1)]


def _number(n: int) -> str:
    return f"+302100{n:06d}"


def seed_call_records() -> None:
    from django.db import connection, transaction

    from accounts.models import Customer
    from billing import partitions
    from billing.models import CallRecord, CustomerNumber

    customers = list(
        Customer.objects.filter(contract_number__startswith="B-")
        .order_by("contract_number")
        .values_list("pk", flat=True)[:CALL_CUSTOMERS]
    )
    if not CustomerNumber.objects.filter(number=_number(1)).exists():
        CustomerNumber.objects.bulk_create(
            [
                CustomerNumber(customer_id=pk, number=_number(n))
                for n, pk in enumerate(customers, start=1)
            ],
            batch_size=2000,
        )
    for month in seeded_months():
        marker = f"bench-1-{month}-1"
        if CallRecord.objects.filter(record_id=marker).exists():
            continue
        started = time.perf_counter()
        partitions.create_partition(month)
        seconds = (month.shifted(1).start - month.start).total_seconds() - 1
        big = month == seeded_months()[-1]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_callers (n int, customer_id bigint, number text,"
                " calls int) ON COMMIT DROP"
            )
            cursor.executemany(
                "INSERT INTO bench_callers VALUES (%s, %s, %s, %s)",
                [
                    (
                        n,
                        pk,
                        _number(n),
                        BIG_CUSTOMER_CALLS if big and n == 2 else CALLS_PER_MONTH,
                    )
                    for n, pk in enumerate(customers, start=1)
                ],
            )
            # Record ids and times are the bench's own; costs and durations are spread
            # as a month of calls would be.
            cursor.execute(
                "INSERT INTO billing_callrecord (record_id, started_at, customer_id, number,"
                " caller, callee, duration_seconds, cost, currency, direction)"
                " SELECT 'bench-' || c.n || '-' || %s || '-' || g.i,"
                " %s::timestamptz + floor(random() * %s) * interval '1 second',"
                " c.customer_id, c.number, c.number,"
                " '+3069' || lpad(floor(random() * 100000000)::text, 8, '0'),"
                " floor(random() * random() * 1800)::int,"
                " round((random() * 0.6)::numeric, 4), 'EUR', 'out'"
                " FROM bench_callers c CROSS JOIN LATERAL generate_series(1, c.calls) g(i)",
                [str(month), month.start.isoformat(), seconds],
            )
            rows = cursor.rowcount
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {month.table}")
        print(f"bench: {rows:,} call records for {month} in {time.perf_counter() - started:.0f} s")


def _month_param(month) -> str:
    # The page's months are the customer's local months; the middle of the seeded UTC
    # month is well inside the same local month.
    return str(month)


def measure_pages(measure, base: str, owner_session, big_session) -> list[tuple]:
    month = _month_param(seeded_months()[-1])
    path = "/billing/call-records/"
    pages = [
        ("call records, a month of 2,000 calls", owner_session, f"{path}?month={month}"),
        ("call records, a month of 50,000 calls", big_session, f"{path}?month={month}"),
        ("the same, sorted by cost, page 40", big_session,
         f"{path}?month={month}&sort=-cost&page=40"),
    ]  # fmt: skip
    return [(name, *measure(session, base + path)) for name, session, path in pages]


def measure_totals(customers: dict) -> list[tuple]:
    """The queries behind the totals and the daily chart, as the page runs them, timed in
    this process (the database's time and the ORM's, no HTTP)."""
    from billing import selectors
    from billing.selectors import MonthChoice

    source = seeded_months()[-1]
    month = MonthChoice(source.year, source.month)
    results = []
    for name, customer in customers.items():
        records = selectors.call_records_of(customer, month=month)
        timings = []
        for n in range(TOTALS_SAMPLES + 10):
            started = time.perf_counter()
            selectors.call_month_figures(records, month)
            if n >= 10:
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results.append(
            (
                f"totals and daily figures, {name}",
                statistics.median(timings),
                timings[int(len(timings) * 0.95) - 1],
            )
        )
    return results


def _worker_pids(server_pid: int) -> list[int]:
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    return [int(pid) for pid in children.read_text().split()]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _export(session, url: str, server_pid: int) -> dict:
    """Download `url`, sampling the workers' memory every 10 ms meanwhile."""
    pids = _worker_pids(server_pid)
    before = {pid: _rss_kib(pid) for pid in pids}
    peak = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], _rss_kib(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    lines = 0
    first_byte = None
    with session.get(url, stream=True) as response:
        assert response.status_code == 200, (url, response.status_code)
        for chunk in response.iter_content(chunk_size=65536):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    growth = max(peak[pid] - before[pid] for pid in pids)
    return {
        "rows": lines - 1,
        "seconds": elapsed,
        "first_byte_ms": (first_byte or 0) * 1000,
        "growth_mib": growth / 1024,
        "rss_mib": max(peak.values()) / 1024,
    }


def measure_export(base: str, owner_session, big_session, server_pid: int) -> list[str]:
    month = _month_param(seeded_months()[-1])
    path = f"/billing/call-records/export/?month={month}"
    # A first export of each warms the workers (imports, connections) before measuring.
    _export(owner_session, base + path, server_pid)
    small = _export(owner_session, base + path, server_pid)
    _export(big_session, base + path, server_pid)
    big = _export(big_session, base + path, server_pid)
    return [
        f"CSV export, {row['rows']:,} rows: {row['seconds']:.2f} s "
        f"({row['rows'] / row['seconds']:,.0f} rows/s, first bytes after "
        f"{row['first_byte_ms']:.0f} ms); the busiest worker grew by {row['growth_mib']:.1f} MiB "
        f"(largest worker {row['rss_mib']:.0f} MiB)"
        for row in (small, big)
    ]


def _api_token() -> str:
    from billing.models import ApiToken

    secret = ApiToken.new_secret()
    ApiToken.objects.create(name="Bench import", key_hash=ApiToken.hash_of(secret),
                            key_start=secret[:12])  # fmt: skip
    return secret


def measure_import(base: str) -> list[str]:
    import requests
    from django.db import connection

    month = seeded_months()[-1]
    run = int(time.time())
    started_at = month.start.replace(day=15).isoformat()
    body = "".join(
        json.dumps(
            {
                "record_id": f"bench-api-{run}-{n}",
                "contract_number": f"B-{n % CALL_CUSTOMERS + 1:05d}",
                "started_at": started_at,
                "caller": _number(n % CALL_CUSTOMERS + 1),
                "callee": "+302101234567",
                "duration_seconds": n % 900,
                "cost": f"{n % 50 / 100:.2f}",
                "currency": "EUR",
            }
        )
        + "\n"
        for n in range(API_ROWS)
    ).encode()
    headers = {
        "Authorization": f"Bearer {_api_token()}",
        "Content-Type": "application/x-ndjson",
        # gunicorn is reached directly; in production the proxy in front says so.
        "X-Forwarded-Proto": "https",
    }
    lines = []
    try:
        for label in ("new", "sent again (all duplicates)"):
            started = time.perf_counter()
            response = requests.post(
                f"{base}/api/v1/call-records", data=body, headers=headers, timeout=600
            )
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (response.status_code, response.text[:500])
            report = response.json()
            lines.append(
                f"API import of {API_ROWS:,} call records as NDJSON ({len(body) / 1e6:.1f} MB), "
                f"{label}: {elapsed:.1f} s, {API_ROWS / elapsed:,.0f} rows/s "
                f"(imported {report['imported']:,}, duplicates {report['duplicates']:,}, "
                f"refused {len(report['rejected']):,})"
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM billing_callrecord WHERE started_at = %s AND record_id LIKE %s",
                [started_at, f"bench-api-{run}-%"],
            )
            cursor.execute(f"VACUUM ANALYZE {month.table}")
    return lines


def people() -> dict:
    from accounts.models import User

    return {
        "owner": User.objects.get(username="bench.owner00001"),
        "big": User.objects.get(username="bench.owner00002"),
    }


def data_line() -> str:
    from billing.models import CallRecord

    months = seeded_months()
    count = CallRecord.objects.filter(started_at__gte=months[0].start).count()
    return (
        f"Call records: {count:,} over {months[0]} to {months[-1]} (monthly partitions), "
        f"{CALL_CUSTOMERS:,} customers"
    )
