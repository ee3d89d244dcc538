"""POST /api/v1/traffic-samples: 5-minute counters per IP address of a housed server,
checked row by row like call records, idempotent by address and time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from billing.models import FeedEvent, TrafficSample
from tests.factories import csv_bytes, ndjson

URL = "/api/v1/traffic-samples"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def sample(n=1, **changes) -> dict:
    values = {
        "contract_number": "C-1001",
        "ip_address": "192.0.2.10",
        "sampled_at": (NOW - timedelta(minutes=5 * n)).isoformat(),
        "bytes_in": 1_000_000 * n,
        "bytes_out": 250_000,
    }
    values.update(changes)
    return values


def test_samples_are_imported_for_the_customer_of_their_contract(api, customer):
    response = api.post(URL, ndjson([sample(1), sample(2)]), content_type="application/x-ndjson")

    assert response.status_code == 200
    assert response.json()["imported"] == 2
    first = TrafficSample.objects.order_by("-sampled_at").first()
    assert first.customer == customer
    assert first.sampled_at == NOW - timedelta(minutes=5)
    assert first.bytes_in == 1_000_000
    assert FeedEvent.objects.get().kind == FeedEvent.Kind.TRAFFIC


def test_csv_and_ipv6_are_accepted(api, customer):
    response = api.post(
        URL,
        csv_bytes([sample(1, ip_address="2001:DB8::1", bytes_in="12")]),
        content_type="text/csv",
    )

    assert response.json()["imported"] == 1
    assert TrafficSample.objects.get().ip_address == "2001:db8::1"


def test_a_sample_sent_again_is_skipped(api, customer):
    api.post(URL, ndjson([sample(1)]), content_type="application/x-ndjson")

    report = api.post(URL, ndjson([sample(1), sample(2)]), content_type="application/x-ndjson")

    assert report.json()["duplicates"] == 1
    assert report.json()["imported"] == 1
    assert TrafficSample.objects.count() == 2


BAD = [
    (sample(ip_address="192.0.2.300"), "ip_address is not an IP address"),
    (sample(sampled_at="2026-11-20T10:02:00+00:00"), "sampled_at is not on a 5-minute boundary"),
    (sample(sampled_at=(NOW + timedelta(minutes=5)).isoformat()), "sampled_at is in the future"),
    (sample(bytes_in=-1), "bytes_in is negative"),
    (sample(bytes_out=1.5), "bytes_out is not a whole number"),
    (sample(contract_number="C-9999"), "unknown contract 'C-9999'"),
    ("not json", "not a JSON object"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD, ids=[reason for _bad, reason in BAD])
def test_a_bad_sample_is_listed_with_its_line_and_the_rest_imported(api, customer, bad, reason):
    report = api.post(
        URL, ndjson([sample(1), bad, sample(3)]), content_type="application/x-ndjson"
    ).json()

    assert report["rejected"] == [{"line": 2, "reason": reason}]
    assert report["imported"] == 2


def test_an_oversize_body_is_refused_before_it_is_read(api, customer):
    response = api.post(
        URL, ndjson([sample(1)]), content_type="application/x-ndjson", CONTENT_LENGTH=str(1024**3)
    )

    assert response.status_code == 413
    assert not TrafficSample.objects.exists()
