"""Import invoices from a folder: their PDFs and a manifest, invoices.csv or
invoices.json (README, "Billing data"), as PUT /api/v1/invoices/{number} does."""

import csv
import json
from pathlib import Path

import pydantic
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from billing import services
from billing.api import InvoiceIn
from billing.services import Delivery, FeedRefused


def _manifest(folder: Path) -> list[tuple[int, dict]]:
    """(line or position, the row) of the folder's manifest."""
    if (folder / "invoices.csv").is_file():
        with (folder / "invoices.csv").open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            return [(reader.line_num, row) for row in reader]
    if (folder / "invoices.json").is_file():
        with (folder / "invoices.json").open(encoding="utf-8") as f:
            try:
                rows = json.load(f)
            except ValueError as error:
                raise CommandError(f"invoices.json is not JSON: {error}") from None
        if not isinstance(rows, list):
            raise CommandError("invoices.json must hold a list of invoices")
        return list(enumerate(rows, start=1))
    raise CommandError(f"{folder}: no invoices.csv or invoices.json")


class Command(BaseCommand):
    help = (
        "Import the invoices listed in DIR/invoices.csv (or invoices.json), each with its "
        "PDF in DIR; the exit status is 1 when any was refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        root = folder.resolve()
        delivery = Delivery(source=f"import_invoices {folder}")
        refused = 0
        outcomes: dict[str, int] = {}
        for line, row in _manifest(folder):
            try:
                outcome = self._import(root, row, delivery)
            except FeedRefused as error:
                refused += 1
                self.stdout.write(f"line {line}: refused: {error.reason}")
                continue
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            self.stdout.write(f"line {line}: {row['number']} {outcome}")
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"{counts or 'nothing imported'}; {refused} refused.")
        if refused:
            raise CommandError(f"{refused} invoices refused (listed above).")

    def _import(self, root: Path, row: object, delivery: Delivery) -> str:
        if not isinstance(row, dict):
            raise FeedRefused("not an object")
        number = str(row.get("number") or "")
        try:
            fields = InvoiceIn.model_validate(row)
        except pydantic.ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
            )
            raise FeedRefused(problems) from None
        pdf_name = str(row.get("pdf") or "")
        if not pdf_name:
            return self._put(number, fields, None, delivery)
        path = (root / pdf_name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise FeedRefused(f"no file {pdf_name} in the folder")
        with path.open("rb") as f:
            return self._put(number, fields, File(f, name=path.name), delivery)

    def _put(self, number: str, fields: InvoiceIn, pdf: File | None, delivery: Delivery) -> str:
        _invoice, outcome = services.invoice_put(
            number=number, pdf=pdf, delivery=delivery, **fields.model_dump()
        )
        return outcome
