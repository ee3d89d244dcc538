"""Call records in monthly partitions on PostgreSQL: made ahead by the migration and the
daily job, made on demand for an older month still kept, dropped whole once older than
CALL_RECORDS_KEEP_MONTHS. On SQLite there is one plain table: these tests skip there
with the reason, and fail under CI, which runs PostgreSQL."""

import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from billing import partitions, services
from billing.models import CallRecord, FeedEvent
from billing.partitions import Month
from billing.tasks import maintain_call_record_partitions
from tests.factories import OWN_NUMBER, ndjson


@pytest.fixture(autouse=True)
def _postgresql(db):
    if connection.vendor == "postgresql":
        return
    message = (
        "Call record partitions need PostgreSQL (declarative partitioning): "
        "set DATABASE_URL=postgres://..."
    )
    if os.environ.get("CI"):
        pytest.fail(message + " They are required in CI.")
    pytest.skip(message)


def record(customer, record_id, started_at) -> CallRecord:
    return CallRecord.objects.create(
        record_id=record_id,
        started_at=started_at,
        customer=customer,
        number=OWN_NUMBER,
        caller=OWN_NUMBER,
        callee="+421905999999",
        duration_seconds=10,
        cost="0.01",
        currency="EUR",
    )


def partition_of(record_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM billing_callrecord WHERE record_id = %s",
            [record_id],
        )
        return cursor.fetchone()[0]


def test_the_migration_made_the_months_from_three_back_to_two_ahead():
    current = Month.of(timezone.now())
    existing = set(partitions.existing_partitions())

    assert {current.shifted(shift) for shift in range(-3, 3)} <= existing


def test_a_record_lands_in_the_partition_of_its_month(customer):
    started = timezone.now() - timedelta(days=1)
    record(customer, "CDR-1", started)

    assert partition_of("CDR-1") == Month.of(started).table


def test_the_daily_job_makes_the_coming_months_and_drops_those_no_longer_kept(customer, settings):
    settings.CALL_RECORDS_KEEP_MONTHS = 2
    run_at = timezone.now() + timedelta(days=31)
    current = Month.of(run_at)
    # Made by the migration (3 months back from today); the 2 whole months before the
    # current one are kept, the one before them is not.
    dropped, kept = current.shifted(-3), current.shifted(-2)
    record(customer, "dropped", dropped.start + timedelta(days=3))
    record(customer, "kept", kept.start + timedelta(days=3))
    with connection.cursor() as cursor:
        # The test's one transaction still holds the deferred checks of the customer key
        # for the rows just written, and PostgreSQL drops no table with pending checks;
        # the job runs in a transaction of its own.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    result = services.call_record_partitions_maintain(now=run_at)

    existing = set(partitions.existing_partitions())
    assert str(dropped) in result["dropped"]
    assert str(current.shifted(2)) in result["created"]
    assert min(existing) == kept
    assert max(existing) == current.shifted(2)
    assert list(CallRecord.objects.values_list("record_id", flat=True)) == ["kept"]
    assert FeedEvent.objects.get(kind=FeedEvent.Kind.PARTITIONS).detail == result


def test_the_daily_job_run_again_changes_nothing(settings):
    now = timezone.now()
    services.call_record_partitions_maintain(now=now)

    assert services.call_record_partitions_maintain(now=now) == {"created": [], "dropped": []}


def test_the_beat_job_is_scheduled_daily_and_runs_the_maintenance():
    entry = django_settings.CELERY_BEAT_SCHEDULE["billing-call-record-partitions"]
    assert entry["task"] == "billing.tasks.maintain_call_record_partitions"
    assert entry["schedule"] == 24 * 60 * 60

    assert maintain_call_record_partitions.delay().get() == {"created": [], "dropped": []}


def test_an_import_of_an_older_month_still_kept_makes_its_partition(api, customer, numbers):
    month = Month.of(timezone.now()).shifted(-6)
    assert month not in partitions.existing_partitions()
    started = month.start + timedelta(days=10)
    row = {
        "record_id": "CDR-old",
        "contract_number": "C-1001",
        "caller": OWN_NUMBER,
        "callee": "+421905999999",
        "started_at": started.isoformat(),
        "duration_seconds": 10,
        "cost": "0.01",
        "currency": "EUR",
    }

    report = api.post(
        "/api/v1/call-records", ndjson([row]), content_type="application/x-ndjson"
    ).json()

    assert report["imported"] == 1
    assert partition_of("CDR-old") == month.table


def test_a_customers_month_reads_only_that_months_partition(customer):
    month = Month.of(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT * FROM billing_callrecord"
            " WHERE customer_id = %s AND started_at >= %s AND started_at < %s",
            [customer.pk, month.start, month.shifted(1).start],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert month.table in plan
    assert month.shifted(-1).table not in plan
    assert month.shifted(1).table not in plan


def test_the_key_is_the_record_id_with_its_start(customer):
    """A unique key of a partitioned table must hold the partition key: a record sent
    again is a duplicate when its id and start are the same (README, "Billing data")."""
    assert CallRecord._meta.pk_fields == [
        CallRecord._meta.get_field("record_id"),
        CallRecord._meta.get_field("started_at"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'billing_callrecord'::regclass AND contype = 'p'"
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (record_id, started_at)"
