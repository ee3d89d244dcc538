"""POST /api/v1/call-records: CSV or NDJSON read as a stream, checked row by row; the rows
refused are listed by line with the reason and the rest imported, in batches that are
each all or nothing; a record sent again is skipped."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError

from billing import feeds
from billing.models import CallRecord, FeedEvent
from tests.factories import OTHER_NUMBER, OWN_NUMBER, csv_bytes, ndjson

URL = "/api/v1/call-records"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def row(n=1, **changes) -> dict:
    values = {
        "record_id": f"CDR-{n}",
        "contract_number": "C-1001",
        "caller": OWN_NUMBER,
        "callee": "+421905999999",
        "started_at": (NOW - timedelta(days=1, minutes=n)).isoformat(),
        "duration_seconds": 65,
        "cost": "0.1250",
        "currency": "EUR",
    }
    values.update(changes)
    return values


def post_ndjson(api, rows, **extra):
    return api.post(URL, ndjson(rows), content_type="application/x-ndjson", **extra)


def test_ndjson_rows_are_imported_for_the_customer_of_their_contract(api, customer, numbers):
    response = post_ndjson(
        api, [row(1), row(2, direction="in", caller="+30210555", callee=OWN_NUMBER)]
    )

    assert response.status_code == 200
    assert response.json() == {
        "rows": 2,
        "imported": 2,
        "duplicates": 0,
        "rejected": [],
        "failed_batches": [],
        "stopped_at_line": None,
    }
    first, second = CallRecord.objects.order_by("record_id")
    assert first.customer == customer
    assert first.number == OWN_NUMBER
    assert first.duration_seconds == 65
    assert first.cost == Decimal("0.1250")
    assert first.started_at == NOW - timedelta(days=1, minutes=1)
    assert second.direction == CallRecord.Direction.INCOMING
    assert second.number == OWN_NUMBER
    assert second.caller == "+30210555"
    event = FeedEvent.objects.get(kind=FeedEvent.Kind.CALL_RECORDS)
    assert event.detail == {
        "rows": 2,
        "imported": 2,
        "duplicates": 0,
        "rejected": 0,
        "failed_batches": 0,
        "stopped_at_line": None,
    }


def test_csv_rows_are_imported_the_same(api, customer, numbers):
    response = api.post(
        URL, csv_bytes([row(1), row(2, caller="00421 905 111 222")]), content_type="text/csv"
    )

    assert response.json()["imported"] == 2
    assert set(CallRecord.objects.values_list("caller", flat=True)) == {OWN_NUMBER}


def test_a_delivery_sent_again_is_skipped_row_by_row(api, customer, numbers):
    post_ndjson(api, [row(1), row(2)])

    response = post_ndjson(api, [row(1), row(2), row(3)])

    assert response.json()["imported"] == 1
    assert response.json()["duplicates"] == 2
    assert CallRecord.objects.count() == 3


def test_a_record_twice_in_one_delivery_is_imported_once(api, customer, numbers):
    response = post_ndjson(api, [row(1), row(1)])

    assert response.json()["imported"] == 1
    assert response.json()["duplicates"] == 1


BAD_ROWS = [
    (row(contract_number="C-9999"), "unknown contract 'C-9999'"),
    (row(duration_seconds=-5), "duration_seconds is negative"),
    (row(duration_seconds="long"), "duration_seconds is not a whole number"),
    (row(started_at=(NOW + timedelta(minutes=1)).isoformat()), "started_at is in the future"),
    (row(started_at="2026-11-19T10:00:00"), "started_at has no UTC offset"),
    (row(started_at="yesterday"), "started_at is not an ISO 8601 time"),
    (row(started_at="2024-10-31T23:59:59+00:00"), "started_at is before 2024-11"),
    (row(caller=OTHER_NUMBER), f"number {OTHER_NUMBER} is not one of contract C-1001's numbers"),
    (row(caller="+421905000000"), "number +421905000000 is not one of contract C-1001's"),
    (row(caller="call me"), "'call me' is not a telephone number"),
    (row(cost="free"), "cost is not a decimal number"),
    (row(currency="euro"), "currency is not a 3-letter ISO 4217 code"),
    (row(direction="sideways"), "direction must be out or in"),
    (row(record_id="has space"), "record_id must be"),
    ({k: v for k, v in row().items() if k != "callee"}, "callee is missing"),
    ("{not json", "not a JSON object"),
    ("[1, 2]", "not a JSON object"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS, ids=[reason for _bad, reason in BAD_ROWS])
def test_a_bad_row_is_listed_with_its_line_and_reason_and_the_rest_imported(
    api, customer, other_customer, numbers, bad, reason
):
    response = post_ndjson(api, [row(1), bad, row(3)])

    report = response.json()
    assert response.status_code == 200
    assert report["imported"] == 2
    assert len(report["rejected"]) == 1
    assert report["rejected"][0]["line"] == 2
    assert report["rejected"][0]["reason"].startswith(reason)
    assert set(CallRecord.objects.values_list("record_id", flat=True)) == {"CDR-1", "CDR-3"}


def test_malformed_csv_lines_are_listed_by_line(api, customer, numbers):
    body = csv_bytes([row(1)]) + b"only,three,fields\n" + b"\xff\xfe not utf-8\n"
    body += csv_bytes([row(4)]).split(b"\n", 1)[1]

    report = api.post(URL, body, content_type="text/csv").json()

    assert report["rejected"] == [
        {"line": 3, "reason": "3 fields where the header names 8"},
        {"line": 4, "reason": "not UTF-8"},
    ]
    assert report["imported"] == 2


def test_a_line_too_long_to_be_a_row_is_refused_without_being_held(api, customer, numbers):
    long = '{"record_id": "' + "x" * (feeds.MAX_LINE_BYTES * 3) + '"}'

    report = post_ndjson(api, [row(1), long, row(3)]).json()

    assert report["rejected"] == [
        {"line": 2, "reason": f"line longer than {feeds.MAX_LINE_BYTES} bytes"}
    ]
    assert report["imported"] == 2


def test_a_closed_customers_contract_is_unknown(api, customer, numbers):
    customer.closed_at = NOW
    customer.save()

    report = post_ndjson(api, [row(1)]).json()

    assert report["rejected"] == [{"line": 1, "reason": "unknown contract 'C-1001'"}]


def test_the_body_is_read_as_a_stream_not_whole(api, customer, numbers, settings):
    """Django refuses request.body past DATA_UPLOAD_MAX_MEMORY_SIZE; the feed never asks."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    rows = [row(n) for n in range(1, 101)]

    response = post_ndjson(api, rows)

    assert response.status_code == 200
    assert response.json()["imported"] == 100


def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_read(
    api, customer, numbers, settings
):
    settings.BILLING_API_MAX_BODY_BYTES = 200 * 1024 * 1024

    response = post_ndjson(api, [row(1)], CONTENT_LENGTH=str(1024**3))

    assert response.status_code == 413
    assert not CallRecord.objects.exists()
    assert not FeedEvent.objects.exists()


def test_a_body_without_a_length_is_refused(api, customer, numbers):
    response = post_ndjson(api, [row(1)], CONTENT_LENGTH="")

    assert response.status_code == 411
    assert not CallRecord.objects.exists()


def test_another_content_type_is_refused(api, customer, numbers):
    response = api.post(URL, b"[]", content_type="application/json")

    assert response.status_code == 415
    assert not FeedEvent.objects.exists()


def test_rows_past_the_limit_of_a_request_are_not_read(api, customer, numbers, settings):
    settings.BILLING_IMPORT_MAX_ROWS = 3

    report = post_ndjson(api, [row(n) for n in range(1, 6)]).json()

    assert report["rows"] == 3
    assert report["imported"] == 3
    assert report["stopped_at_line"] == 4


def test_a_batch_that_cannot_be_written_is_reported_whole_and_the_others_kept(
    api, customer, numbers, settings, monkeypatch
):
    """All or nothing per batch: the second batch fails to write (the database refuses
    it), none of its rows stay, and the response names its lines."""
    settings.BILLING_IMPORT_BATCH_ROWS = 2
    write = feeds._Writer.write
    calls = []

    def failing_second_batch(self, rows):
        calls.append(len(rows))
        inserted = write(self, rows)
        if len(calls) == 2:
            raise DatabaseError("the database went away")
        return inserted

    monkeypatch.setattr(feeds._Writer, "write", failing_second_batch)

    report = post_ndjson(api, [row(n) for n in range(1, 6)]).json()

    assert report["imported"] == 3
    assert report["failed_batches"] == [
        {
            "first_line": 3,
            "last_line": 4,
            "rows": 2,
            "reason": "the batch could not be written; none of its rows were imported: "
            "send them again",
        }
    ]
    assert set(CallRecord.objects.values_list("record_id", flat=True)) == {
        "CDR-1",
        "CDR-2",
        "CDR-5",
    }


def test_queries_grow_with_batches_not_with_rows(
    api, customer, numbers, settings, django_assert_max_num_queries
):
    settings.BILLING_IMPORT_BATCH_ROWS = 50
    rows = [row(n) for n in range(1, 101)]

    # Per request: the token, its use, the audit row; per batch: the contracts, the
    # numbers, the savepoint and its release, the existing partitions once, and the
    # writing (4 statements with COPY; a select and an insert elsewhere).
    with django_assert_max_num_queries(3 + 2 * 8 + 1):
        response = post_ndjson(api, rows)

    assert response.json()["imported"] == 100
