"""The customer's call records and housing traffic pages: a month (and a number or an
address) at a time, with totals and the 95th percentile computed by the database, for the
logins holding `can_view_call_records`."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from billing.models import CallRecord, CustomerNumber
from billing.selectors import MonthChoice, _percentile, call_record_months
from tests.factories import (
    OTHER_NUMBER,
    OWN_NUMBER,
    make_calls,
    make_traffic,
    month_start,
    this_month,
)

CALLS = reverse("billing:call_records")
CSV = reverse("billing:call_records_csv")
TRAFFIC = reverse("billing:housing_traffic")
SECOND_NUMBER = "+421905999000"


@pytest.fixture
def calls(customer, other_customer, numbers):
    make_calls(customer, 3)
    make_calls(other_customer, 2, number=OTHER_NUMBER, prefix="theirs")


def test_the_month_shows_totals_a_daily_chart_and_the_records(owner_client, calls):
    response = owner_client.get(CALLS)

    page = response.content.decode()
    assert response.status_code == 200
    totals = response.context["totals"]
    assert [(t.calls, t.seconds, t.cost, t.currency) for t in totals] == [
        (3, 60 + 61 + 62, Decimal("0.3003"), "EUR")
    ]
    assert totals[0].minutes == Decimal("3.1")
    assert page.count('class="chart-bar"') == this_month().days
    assert 'data-label="1" data-value="1.0"' in page
    assert OTHER_NUMBER not in page
    assert page.count("+302101234567") == 3
    assert f'href="{CALLS}" aria-current="page">Call records</a>' in page


def test_the_months_with_records_are_offered_and_another_month_is_chosen(
    owner_client, customer, numbers
):
    current = this_month()
    previous = MonthChoice.of(current.first_day - timedelta(days=1))
    make_calls(customer, 2)
    make_calls(customer, 5, month=previous, prefix="old")

    page = owner_client.get(CALLS).content.decode()
    assert f"?month={previous}" in page

    response = owner_client.get(CALLS, {"month": str(previous)})
    assert response.context["totals"][0].calls == 5
    assert response.context["months"] == [current, previous]


def test_the_months_offered_are_the_customers_own_local_months(
    customer, other_customer, numbers, django_assert_num_queries
):
    current = this_month()
    previous = MonthChoice.of(current.first_day - timedelta(days=1))
    # 00:30 on the 1st here is the evening before in UTC: the month is still this one.
    CallRecord.objects.create(
        record_id="edge",
        started_at=month_start(current) + timedelta(minutes=30),
        customer=customer,
        number=OWN_NUMBER,
        caller=OWN_NUMBER,
        callee="+302101234567",
        duration_seconds=60,
        cost=Decimal("0.1"),
        currency="EUR",
    )
    make_calls(other_customer, 2, month=previous, number=OTHER_NUMBER, prefix="theirs")

    with django_assert_num_queries(1):
        assert call_record_months(customer) == [current]
    make_calls(customer, 1, month=previous, prefix="old")
    assert call_record_months(customer) == [current, previous]
    assert call_record_months(other_customer) == [previous]


def test_a_malformed_month_is_the_current_one(owner_client, calls):
    response = owner_client.get(CALLS, {"month": "2026-13"})

    assert response.context["month"] == this_month()
    assert response.context["totals"][0].calls == 3


def test_a_customer_with_several_numbers_chooses_one(owner_client, customer, calls):
    CustomerNumber.objects.create(customer=customer, number=SECOND_NUMBER)
    make_calls(customer, 4, number=SECOND_NUMBER, prefix="second")

    page = owner_client.get(CALLS).content.decode()
    assert f'<option value="{SECOND_NUMBER}">' in page
    assert owner_client.get(CALLS).context["totals"][0].calls == 7

    response = owner_client.get(CALLS, {"number": SECOND_NUMBER})
    assert response.context["totals"][0].calls == 4
    # A number of another customer is not a filter: the customer's own calls are shown.
    response = owner_client.get(CALLS, {"number": OTHER_NUMBER})
    assert response.context["number"] is None
    assert response.context["totals"][0].calls == 7


@pytest.mark.parametrize(
    ("sort", "first"),
    [("-time", "r2"), ("time", "r0"), ("duration", "r0"), ("-duration", "r2"), ("-cost", "r2")],
)
def test_the_records_sort_by_time_duration_and_cost(owner_client, calls, sort, first):
    response = owner_client.get(CALLS, {"sort": sort})

    assert response.context["sort"] == sort
    assert next(iter(response.context["page"])).record_id == first


def test_an_unknown_sort_is_the_newest_first(owner_client, calls):
    response = owner_client.get(CALLS, {"sort": "customer__name"})

    assert response.context["sort"] == "-time"


def test_the_records_come_50_a_page(owner_client, customer, numbers):
    make_calls(customer, 120)

    first = owner_client.get(CALLS)
    last = owner_client.get(CALLS, {"page": 3})

    assert len(first.context["page"]) == 50
    assert len(last.context["page"]) == 20
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_page_takes_the_same_queries_for_10_or_1000_records(
    owner_client, customer, numbers, count, django_assert_max_num_queries
):
    make_calls(customer, count)

    with django_assert_max_num_queries(10):
        response = owner_client.get(CALLS, {"sort": "-cost", "page": 2})

    assert response.status_code == 200


def test_the_month_exports_as_csv_streamed(owner_client, customer, calls):
    CustomerNumber.objects.create(customer=customer, number=SECOND_NUMBER)
    make_calls(customer, 1, number=SECOND_NUMBER, prefix="second")

    response = owner_client.get(CSV, {"month": str(this_month()), "number": OWN_NUMBER})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="call-records-{this_month()}-{OWN_NUMBER[1:]}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["record_id"] for row in rows] == ["r0", "r1", "r2"]
    assert rows[0]["duration_seconds"] == "60"
    assert rows[0]["cost"] == "0.1000"
    assert datetime.fromisoformat(rows[0]["started_at"]) == month_start(this_month())


@pytest.mark.parametrize("count", [10, 1000])
def test_the_export_takes_the_same_queries_for_10_or_1000_records(
    owner_client, customer, numbers, count, django_assert_max_num_queries
):
    make_calls(customer, count)

    with django_assert_max_num_queries(6):
        response = owner_client.get(CSV)
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == count + 1


# Housing traffic


@pytest.fixture
def traffic(customer, other_customer):
    # 100 samples from 1 to 100 Mbit/s: percentile_cont(0.95) is 95.05.
    make_traffic(customer, "192.0.2.10", range(1, 101))
    make_traffic(customer, "192.0.2.11", [10] * 12)
    make_traffic(other_customer, "198.51.100.7", [500] * 12)


def test_the_95th_percentile_is_written_out(owner_client, traffic):
    response = owner_client.get(TRAFFIC)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["ip_address"] == "192.0.2.10"
    assert "95th percentile: 95.1 Mbit/s in, 23.8 out" in page
    assert 'class="chart-bar"' in page
    assert "198.51.100.7" not in page
    assert "?ip=192.0.2.11" in page


def test_another_address_is_chosen(owner_client, traffic):
    response = owner_client.get(TRAFFIC, {"ip": "192.0.2.11"})

    assert "95th percentile: 10.0 Mbit/s in, 2.5 out" in response.content.decode()


def test_another_customers_address_is_not_shown(owner_client, traffic):
    response = owner_client.get(TRAFFIC, {"ip": "198.51.100.7"})

    assert response.context["ip_address"] == "192.0.2.10"


def test_a_month_without_traffic_says_so(owner_client, customer):
    page = owner_client.get(TRAFFIC).content.decode()

    assert "There is no traffic of housed servers for this month." in page


def test_the_python_percentile_matches_postgresql_percentile_cont():
    assert _percentile(list(range(1, 101)), 0.95) == pytest.approx(95.05)
    assert _percentile([7], 0.95) == 7
    assert _percentile([], 0.95) == 0.0


@pytest.mark.parametrize("count", [12, 1000])
def test_the_traffic_page_takes_the_same_queries(
    owner_client, customer, count, django_assert_max_num_queries
):
    make_traffic(customer, "192.0.2.10", [5] * count)

    with django_assert_max_num_queries(8):
        response = owner_client.get(TRAFFIC)

    assert response.context["samples"] == count


def test_large_daily_figures_lose_their_decimals_to_fit_the_charts_scale(owner_client, customer):
    make_traffic(customer, "192.0.2.10", [1000] * 288)

    page = owner_client.get(TRAFFIC).content.decode()

    assert 'data-label="1" data-value="10800"' in page
    assert "95th percentile: 1000.0 Mbit/s in, 250.0 out" in page


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_call_rows_are_what_the_template_loop_wrote(customer, numbers, language):
    """{% call_record_rows %} writes the HTML the template's own loop did, cell for cell."""
    make_calls(customer, 3)
    records = list(CallRecord.objects.filter(customer=customer).order_by("started_at"))
    loop = Template(
        "{% for record in records %}"
        "<tr><td>{{ record.started_at|date:'SHORT_DATETIME_FORMAT' }}</td>"
        "<td>{{ record.caller }}</td><td>{{ record.callee }}</td>"
        '<td class="amount">{{ record.duration_seconds }} s</td>'
        '<td class="amount">{{ record.cost|floatformat:4 }} {{ record.currency }}</td></tr>'
        "{% if not forloop.last %}\n{% endif %}{% endfor %}"
    )
    tag = Template("{% load billing %}{% call_record_rows records %}")
    with translation.override(language):
        context = Context({"records": records})
        expected = loop.render(context)
        assert tag.render(context) == expected
    assert expected.count("<tr>") == 3
