"""The customer's billing pages. Each is for the logins holding its permission
(User.CUSTOMER_PERMISSIONS); anyone else gets 404, as if the page did not exist."""

import csv
from collections.abc import Callable, Iterator
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from billing import selectors
from billing.models import ContractDocument, Invoice
from portal.storage import private_file_response
from tickets.dashboard import Series, bars

CALL_RECORDS_PER_PAGE = 50
# The columns of the CSV export: the field names of the import format (README,
# "Billing data"), so that a file can be read back by the same tools.
CALL_RECORD_CSV_COLUMNS = (
    "record_id",
    "started_at",
    "number",
    "caller",
    "callee",
    "direction",
    "duration_seconds",
    "cost",
    "currency",
)


def customer_permission_required(permission: str) -> Callable:
    """Log in first; then 404 unless the login holds `permission` of its customer."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_customer_permission(permission):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def _pdf_response(document: Invoice | ContractDocument, filename: str) -> FileResponse:
    response = private_file_response(
        document.pdf.name,
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@customer_permission_required("can_view_invoices")
def invoice_list(request: HttpRequest) -> HttpResponse:
    customer = request.user.customer
    today = timezone.localdate()
    invoices = [(invoice, invoice.is_overdue(today)) for invoice in selectors.invoices_of(customer)]
    return render(
        request,
        "billing/invoices.html",
        {"invoices": invoices, "documents": selectors.contract_documents_of(customer)},
    )


@customer_permission_required("can_view_invoices")
def invoice_pdf(request: HttpRequest, number: str) -> FileResponse:
    invoice = get_object_or_404(Invoice, customer_id=request.user.customer_id, number=number)
    return _pdf_response(invoice, f"{invoice.number}.pdf")


@customer_permission_required("can_view_invoices")
def contract_document_pdf(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(ContractDocument, customer_id=request.user.customer_id, pk=pk)
    return _pdf_response(document, f"{document.key}.pdf")


def _chart(chart_id: str, series: Series, label_heading: str, *, every: int = 3) -> dict:
    """What templates/admin/tickets/includes/bar_chart.html draws."""
    width, height = 640, 160
    return {
        "id": chart_id,
        "series": series,
        "label_heading": label_heading,
        "width": width,
        "height": height,
        "bars": bars(series, width=width, height=height, every=every),
    }


def _points(values: list[tuple[str, float]]) -> list[tuple[str, float | int]]:
    """One decimal, or none once the values reach the hundreds: the chart's scale label
    has the room of four or five characters."""
    if max((value for _label, value in values), default=0) >= 100:
        return [(label, round(value)) for label, value in values]
    return [(label, round(value, 1)) for label, value in values]


def _call_records_selection(request: HttpRequest) -> dict:
    """The month and number asked for in the query string, checked against the
    customer's own."""
    customer = request.user.customer
    month = selectors.MonthChoice.parse(request.GET.get("month"), today=timezone.localdate())
    numbers = list(customer.numbers.values_list("number", flat=True))
    number = request.GET.get("number")
    if number not in numbers:
        number = None
    records = selectors.call_records_of(customer, month=month, number=number)
    return {"month": month, "numbers": numbers, "number": number, "records": records}


def _sort_columns(sort: str) -> dict[str, dict]:
    """For each sortable column: the sort its heading links to (descending first, then
    the other way) and its aria-sort when it is the one sorted by."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    return {
        column: {
            "next": column if column == key and descending else f"-{column}",
            "aria_sort": ("descending" if descending else "ascending") if column == key else "",
        }
        for column in selectors.CALL_RECORD_SORTS
    }


@customer_permission_required("can_view_call_records")
def call_records(request: HttpRequest) -> HttpResponse:
    selection = _call_records_selection(request)
    month, records = selection["month"], selection["records"]
    sort = selectors.call_record_sort(request.GET.get("sort"))
    figures = selectors.call_month_figures(records, month)
    paginator = Paginator(selectors.call_records_sorted(records, sort), CALL_RECORDS_PER_PAGE)
    # The month's calls were just counted: the paginator does not count them again.
    paginator.count = figures.calls
    page = paginator.get_page(request.GET.get("page"))
    per_day = figures.per_day
    minutes = Series(
        _("Minutes of calls per day"),
        _("minutes"),
        _points([(str(day.day), seconds / 60) for day, _calls, seconds in per_day]),
    )
    months = selectors.call_record_months(request.user.customer)
    if month not in months:
        months = sorted([*months, month], key=lambda m: (m.year, m.month), reverse=True)
    return render(
        request,
        "billing/call_records.html",
        {
            **selection,
            "months": months,
            "totals": figures.totals,
            "chart": _chart("chart-minutes", minutes, _("Day")),
            "page": page,
            "sort": sort,
            "sorts": _sort_columns(sort),
            "export_url": reverse("billing:call_records_csv")
            + "?"
            + urlencode(
                {
                    "month": str(month),
                    **({"number": selection["number"]} if selection["number"] else {}),
                }
            ),
        },
    )


class _Echo:
    """A file whose write returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


@customer_permission_required("can_view_call_records")
def call_records_csv(request: HttpRequest) -> StreamingHttpResponse:
    selection = _call_records_selection(request)
    rows = selectors.call_records_export(selection["records"], CALL_RECORD_CSV_COLUMNS)
    started = CALL_RECORD_CSV_COLUMNS.index("started_at")
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CALL_RECORD_CSV_COLUMNS)
        for row in rows:
            values = list(row)
            values[started] = timezone.localtime(values[started]).isoformat()
            yield writer.writerow(values)

    suffix = f"-{selection['number'].lstrip('+')}" if selection["number"] else ""
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="call-records-{selection["month"]}{suffix}.csv"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@customer_permission_required("can_view_call_records")
def housing_traffic(request: HttpRequest) -> HttpResponse:
    customer = request.user.customer
    month = selectors.MonthChoice.parse(request.GET.get("month"), today=timezone.localdate())
    seen = selectors.traffic_addresses(customer)
    months = sorted({m for _ip, m in seen} | {month}, key=lambda m: (m.year, m.month), reverse=True)
    addresses = [ip for ip, m in seen if m == month]
    ip_address = request.GET.get("ip")
    if ip_address not in addresses:
        ip_address = addresses[0] if addresses else None
    context = {"month": month, "months": months, "addresses": addresses, "ip_address": ip_address}
    if ip_address:
        samples = selectors.traffic_of(customer, ip_address=ip_address, month=month)
        figures = selectors.traffic_figures(samples)
        per_day = selectors.traffic_per_day(samples, month)
        gigabytes = _("GB")
        context.update(
            {
                "p95_in": selectors.traffic_rate_mbits(figures.p95_in),
                "p95_out": selectors.traffic_rate_mbits(figures.p95_out),
                "samples": figures.samples,
                "charts": [
                    _chart(
                        "chart-in",
                        Series(
                            _("Traffic in per day"),
                            gigabytes,
                            _points([(str(day.day), b_in / 1e9) for day, b_in, _o in per_day]),
                        ),
                        _("Day"),
                    ),
                    _chart(
                        "chart-out",
                        Series(
                            _("Traffic out per day"),
                            gigabytes,
                            _points([(str(day.day), b_out / 1e9) for day, _i, b_out in per_day]),
                        ),
                        _("Day"),
                    ),
                ],
            }
        )
    return render(request, "billing/housing_traffic.html", context)
