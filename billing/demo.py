"""Demo data for `make run`: for every demo customer, four months of invoices (one unpaid,
one overdue for the basic plan) with PDFs made here, a contract document, its telephone
numbers, 30 days of call records and of housing traffic. Written through the services,
as the billing system would send them; every name and time is fixed by the day, so that
running it again the same day changes nothing."""

import io
import json
import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TextIO

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from accounts.models import Customer
from billing import services
from billing.models import CallRecord, TrafficSample
from billing.services import Delivery

DAYS = 30
STEP = timedelta(minutes=5)
# (telephone numbers, housed server addresses) of each demo customer.
USAGE = {
    "GR-1001": (["+302101234001"], ["192.0.2.10"]),
    "IT-2002": (["+390612345002"], ["192.0.2.20"]),
    "SK-3003": (["+421255123001", "+421255123002"], ["198.51.100.30", "198.51.100.31"]),
}
AMOUNTS = {
    Customer.Plan.BASIC: Decimal("24.80"),
    Customer.Plan.PREMIUM: Decimal("119.90"),
    Customer.Plan.BUSINESS: Decimal("489.00"),
}
CALLEES = ["+302107654321", "+390287654321", "+421905765432", "+442079460000"]


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text, in Helvetica."""

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 18 Tf 72 760 Td ({escaped(title)}) Tj ET"]
    text += [
        f"BT /F1 11 Tf 72 {730 - 18 * n} Td ({escaped(line)}) Tj ET" for n, line in enumerate(lines)
    ]
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return output.getvalue()


def _month_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _invoices(customer: Customer, today: date, delivery: Delivery) -> None:
    amount = AMOUNTS.get(customer.plan, Decimal("49.00"))
    for back in range(4):
        issued_on = _month_back(today, back)
        period_start = _month_back(issued_on, 1)
        period_end = issued_on - timedelta(days=1)
        number = f"{customer.contract_number}-{issued_on:%Y%m}"
        due_on = issued_on + timedelta(days=14)
        overdue = back == 1 and customer.plan == Customer.Plan.BASIC
        status = "unpaid" if back == 0 or overdue else "paid"
        pdf = demo_pdf(
            f"Invoice {number}",
            [
                customer.name.encode("ascii", "replace").decode(),
                f"Contract {customer.contract_number}",
                f"Period {period_start:%d.%m.%Y} - {period_end:%d.%m.%Y}",
                f"Due {due_on:%d.%m.%Y}",
                f"Amount {amount} EUR",
            ],
        )
        services.invoice_put(
            number=number,
            contract_number=customer.contract_number,
            issued_on=issued_on,
            period_start=period_start,
            period_end=period_end,
            due_on=due_on,
            amount=amount,
            currency="EUR",
            status=status,
            pdf=ContentFile(pdf, name=f"{number}.pdf"),
            delivery=delivery,
        )
    services.contract_document_put(
        contract_number=customer.contract_number,
        key="contract",
        title=f"Contract {customer.contract_number}",
        dated=date(today.year - 1, 1, 15),
        pdf=ContentFile(
            demo_pdf(f"Contract {customer.contract_number}", [f"Plan: {customer.plan}"]),
            name="contract.pdf",
        ),
        delivery=delivery,
    )


def _ndjson(rows: list[dict]) -> io.BytesIO:
    return io.BytesIO(b"".join(json.dumps(row).encode() + b"\n" for row in rows))


def _calls(customer: Customer, numbers: list[str], start: datetime, now: datetime) -> list[dict]:
    rows = []
    for day in range(DAYS):
        midnight = start + timedelta(days=day)
        for index, number in enumerate(numbers):
            for k in range(8 + (day * 5 + index * 3) % 12):
                started_at = midnight + timedelta(hours=8, minutes=37 * k + 11 * index)
                if started_at > now:
                    break
                seconds = 20 + (day * 97 + k * 53 + index * 31) % 900
                outgoing = (day + k) % 4 != 0
                other = CALLEES[(day + k) % len(CALLEES)]
                rows.append(
                    {
                        "record_id": f"demo-{number[1:]}-{started_at:%Y%m%d%H%M}",
                        "contract_number": customer.contract_number,
                        "started_at": started_at.isoformat(),
                        "caller": number if outgoing else other,
                        "callee": other if outgoing else number,
                        "direction": "out" if outgoing else "in",
                        "duration_seconds": seconds,
                        "cost": str(
                            (Decimal(seconds) * Decimal("0.0012")).quantize(Decimal("0.0001"))
                        )
                        if outgoing
                        else "0",
                        "currency": "EUR",
                    }
                )
    return rows


def _traffic(customer: Customer, address: str, start: datetime, end: datetime) -> list[dict]:
    """A day's curve: quiet at night, busy in the afternoon, a peak now and then."""
    rows = []
    moment = start
    while moment < end:
        step = int(moment.timestamp()) // 300
        hour = moment.hour + moment.minute / 60
        mbits = 40 + 120 * max(0.0, math.sin((hour - 6) / 24 * 2 * math.pi)) + (step % 7) * 3
        if step % 97 == 0:
            mbits *= 3
        bytes_in = int(mbits * 1_000_000 * 300 / 8)
        rows.append(
            {
                "contract_number": customer.contract_number,
                "ip_address": address,
                "sampled_at": moment.isoformat(),
                "bytes_in": bytes_in,
                "bytes_out": bytes_in // 5,
            }
        )
        moment += STEP
    return rows


def seed_demo(*, stdout: TextIO) -> None:
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime.combine(today - timedelta(days=DAYS - 1), time(), tzinfo=tz)
    midnight = datetime.combine(today, time(), tzinfo=tz)
    delivery = Delivery(source="seed_demo")
    calls, samples = [], []
    for customer in Customer.objects.filter(contract_number__in=USAGE).order_by("pk"):
        numbers, addresses = USAGE[customer.contract_number]
        _invoices(customer, today, delivery)
        services.customer_numbers_put(
            contract_number=customer.contract_number, numbers=numbers, delivery=delivery
        )
        # Only what a previous run has not sent, so that running again is quick.
        latest_call = CallRecord.objects.filter(customer=customer).aggregate(
            latest=Max("started_at")
        )["latest"]
        calls += [
            row
            for row in _calls(customer, numbers, start, now)
            if latest_call is None or datetime.fromisoformat(row["started_at"]) > latest_call
        ]
        for address in addresses:
            latest_sample = TrafficSample.objects.filter(ip_address=address).aggregate(
                latest=Max("sampled_at")
            )["latest"]
            since = max(start, latest_sample + STEP) if latest_sample else start
            samples += _traffic(customer, address, since, midnight)
    report = services.call_records_import(
        stream=_ndjson(calls), content_type="application/x-ndjson", delivery=delivery
    )
    traffic = services.traffic_samples_import(
        stream=_ndjson(samples), content_type="application/x-ndjson", delivery=delivery
    )
    stdout.write(
        f"Billing: {report.imported} new call records ({len(report.rejected)} refused), "
        f"{traffic.imported} new traffic samples ({len(traffic.rejected)} refused)."
    )
