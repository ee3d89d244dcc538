"""Monthly partitions of the call records on PostgreSQL.

A partition holds one calendar month in UTC, `billing_callrecord_YYYYMM`, from the first
of the month at 00:00 UTC to the first of the next. Partitions are made a few months ahead
(CALL_RECORDS_MONTHS_AHEAD) by a daily job, on demand for older months a bulk import
brings (within the months kept), and dropped whole once older than
CALL_RECORDS_KEEP_MONTHS: dropping a month is instant and leaves no dead rows behind,
where a DELETE of 20 million rows would not. On SQLite there is one plain table and
nothing here does anything."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection

from billing.models import CALL_RECORD_TABLE

_NAME = re.compile(rf"^{CALL_RECORD_TABLE}_(\d{{4}})(\d{{2}})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime | date) -> "Month":
        if isinstance(moment, datetime):
            moment = moment.astimezone(UTC)
        return cls(moment.year, moment.month)

    def shifted(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def table(self) -> str:
        return f"{CALL_RECORD_TABLE}_{self.year:04d}{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def is_partitioned() -> bool:
    return connection.vendor == "postgresql"


def oldest_kept_month(now: datetime) -> Month:
    """The first month whose records are kept: the current month and the
    CALL_RECORDS_KEEP_MONTHS whole months before it."""
    return Month.of(now).shifted(-settings.CALL_RECORDS_KEEP_MONTHS)


def existing_partitions() -> list[Month]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits"
            " JOIN pg_class parent ON parent.oid = pg_inherits.inhparent"
            " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
            " WHERE parent.relname = %s",
            [CALL_RECORD_TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = []
    for name in names:
        match = _NAME.match(name)
        if match:
            months.append(Month(int(match[1]), int(match[2])))
    return sorted(months)


def create_partition(month: Month) -> None:
    # Table names and bounds are made here from integers, never from input.
    next_start = month.shifted(1).start
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {month.table} PARTITION OF {CALL_RECORD_TABLE}"  # noqa: S608
            f" FOR VALUES FROM ('{month.start.isoformat()}') TO ('{next_start.isoformat()}')"
        )


def drop_partition(month: Month) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {month.table}")
