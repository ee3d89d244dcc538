"""The import commands, for providers who export nightly: the same checks and report as
the API, from files."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from billing.models import CallRecord, FeedEvent, Invoice
from tests.factories import OWN_NUMBER, csv_bytes, ndjson, pdf_bytes, png_bytes

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def invoice_row(number="2026-1", pdf="2026-1.pdf", **changes) -> dict:
    row = {
        "number": number,
        "contract_number": "C-1001",
        "issued_on": "2026-11-01",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "due_on": "2026-11-15",
        "amount": "119.90",
        "currency": "EUR",
        "status": "unpaid",
        "pdf": pdf,
    }
    row.update(changes)
    return row


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_invoices_reads_a_csv_manifest_and_the_pdfs_beside_it(tmp_path, customer):
    (tmp_path / "2026-1.pdf").write_bytes(pdf_bytes())
    (tmp_path / "2026-2.pdf").write_bytes(pdf_bytes())
    (tmp_path / "invoices.csv").write_bytes(
        csv_bytes([invoice_row(), invoice_row("2026-2", "2026-2.pdf", status="paid")])
    )

    output = run("import_invoices", str(tmp_path))

    assert "line 2: 2026-1 created" in output
    assert "2 created; 0 refused." in output
    assert Invoice.objects.get(number="2026-2").status == Invoice.Status.PAID
    assert FeedEvent.objects.filter(source=f"import_invoices {tmp_path}").count() == 2


def test_import_invoices_reads_a_json_manifest_and_is_idempotent(tmp_path, customer):
    (tmp_path / "2026-1.pdf").write_bytes(pdf_bytes())
    (tmp_path / "invoices.json").write_text(json.dumps([invoice_row()]))
    run("import_invoices", str(tmp_path))

    output = run("import_invoices", str(tmp_path))

    assert "line 1: 2026-1 unchanged" in output
    assert Invoice.objects.count() == 1


def test_import_invoices_lists_the_refused_and_fails(tmp_path, customer):
    (tmp_path / "ok.pdf").write_bytes(pdf_bytes())
    (tmp_path / "image.pdf").write_bytes(png_bytes())
    (tmp_path / "invoices.csv").write_bytes(
        csv_bytes(
            [
                invoice_row("2026-1", "ok.pdf"),
                invoice_row("2026-2", "image.pdf"),
                invoice_row("2026-3", "../../etc/passwd"),
                invoice_row("2026-4", "ok.pdf", contract_number="C-9999"),
                invoice_row("2026-1", "ok.pdf", amount="1.00"),
                invoice_row("2026-5", "ok.pdf", amount="lots"),
            ]
        )
    )
    out = StringIO()

    with pytest.raises(CommandError, match="5 invoices refused"):
        call_command("import_invoices", str(tmp_path), stdout=out)

    output = out.getvalue()
    assert "line 3: refused: the file is not a PDF" in output
    assert "line 4: refused: no file ../../etc/passwd in the folder" in output
    assert "line 5: refused: unknown contract 'C-9999'" in output
    assert "line 6: refused: invoice 2026-1 exists with amount 119.90 EUR" in output
    assert "line 7: refused: amount:" in output
    assert list(Invoice.objects.values_list("number", flat=True)) == ["2026-1"]


def test_import_invoices_needs_a_manifest(tmp_path):
    with pytest.raises(CommandError, match="no invoices.csv or invoices.json"):
        call_command("import_invoices", str(tmp_path))


@time_machine.travel(NOW, tick=False)
def test_import_call_records_imports_a_file_and_reports_the_refused_rows(
    tmp_path, customer, numbers
):
    def row(n, **changes):
        values = {
            "record_id": f"CDR-{n}",
            "contract_number": "C-1001",
            "caller": OWN_NUMBER,
            "callee": "+421905999999",
            "started_at": (NOW - timedelta(hours=n)).isoformat(),
            "duration_seconds": 30,
            "cost": "0.05",
            "currency": "EUR",
        }
        values.update(changes)
        return values

    good = tmp_path / "calls.csv"
    good.write_bytes(csv_bytes([row(1), row(2)]))
    assert "2 rows read, 2 imported, 0 already there, 0 refused." in run(
        "import_call_records", str(good)
    )

    mixed = tmp_path / "calls.ndjson"
    mixed.write_bytes(ndjson([row(1), row(3, duration_seconds=-1), row(4)]))
    out = StringIO()
    with pytest.raises(CommandError, match="Some rows were not imported"):
        call_command("import_call_records", str(mixed), stdout=out)

    assert "3 rows read, 1 imported, 1 already there, 1 refused." in out.getvalue()
    assert "line 2: duration_seconds is negative" in out.getvalue()
    assert CallRecord.objects.count() == 3


def test_import_call_records_needs_to_know_the_format(tmp_path):
    file = tmp_path / "calls.txt"
    file.write_text("")

    with pytest.raises(CommandError, match="give --format"):
        call_command("import_call_records", str(file))
