"""Import call records from a CSV or NDJSON file, as POST /api/v1/call-records does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing import feeds, services
from billing.services import Delivery

_FORMATS = {".csv": feeds.CSV, ".ndjson": feeds.NDJSON, ".jsonl": feeds.NDJSON}


class Command(BaseCommand):
    help = (
        "Import call records from FILE (CSV with a header, or NDJSON): the rows refused are "
        "listed by line; the exit status is 1 when any row was not imported."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["csv", "ndjson"], help="when the file's name does not say"
        )

    def handle(self, *args, file: Path, format: str | None, **options) -> None:
        if format:
            content_type = feeds.CSV if format == "csv" else feeds.NDJSON
        else:
            content_type = _FORMATS.get(file.suffix.lower())
            if content_type is None:
                raise CommandError(f"{file}: name it .csv, .ndjson or .jsonl, or give --format")
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as stream:
            report = services.call_records_import(
                stream=stream,
                content_type=content_type,
                delivery=Delivery(source=f"import_call_records {file}"),
            )
        write_report(self.stdout, report)
        if report.rejected or report.failed_batches or report.stopped_at_line:
            raise CommandError("Some rows were not imported (listed above).")


def write_report(out, report: feeds.Report) -> None:  # noqa: ANN001
    out.write(
        f"{report.rows} rows read, {report.imported} imported, "
        f"{report.duplicates} already there, {len(report.rejected)} refused."
    )
    for rejected in report.rejected:
        out.write(f"line {rejected['line']}: {rejected['reason']}")
    for batch in report.failed_batches:
        out.write(
            f"lines {batch['first_line']}-{batch['last_line']}: {batch['rows']} rows not "
            f"imported: {batch['reason']}"
        )
    if report.stopped_at_line:
        out.write(f"line {report.stopped_at_line} and after: not read (too many rows)")
