"""The billing system's API, /api/v1/ (README, "Billing data"). Built on django-ninja:
the request and response types are pydantic models, from which the OpenAPI schema at
/api/v1/schema is made, so the documentation cannot drift from the checks.

Every operation needs an integration's token (Authorization: Bearer pbt_...) over HTTPS
(outside DEBUG). A body is never read before the token and its size are checked: the
usage feeds read theirs as a stream, line by line, and the documents parse their
multipart form only then (Django fills request.FILES for POST alone)."""

import json
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from billing import feeds, selectors, services
from billing.services import Delivery, FeedRefused

# A document's form may be this much larger than the PDF it carries.
_FORM_OVERHEAD_BYTES = 64 * 1024


class IntegrationToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        if not settings.DEBUG and not request.is_secure():
            # The token went in clear already; refusing tells the integration to fix it.
            raise HttpError(403, "HTTPS is required")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.api_token_for(token)
        if found is not None:
            services.api_token_used(token=found, at=timezone.now())
        return found


api = NinjaAPI(
    title="Support Portal billing API",
    version="1",
    description="What the provider's billing system sends the portal: invoices, contract "
    "documents, the customers' telephone numbers, call records and traffic samples.",
    urls_namespace="billing_api",
    openapi_url="/schema",
    docs_url=None,
    auth=IntegrationToken(),
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "a valid API token is required"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(FeedRefused)
def _refused(request: HttpRequest, error: FeedRefused) -> HttpResponse:
    return api.create_response(request, {"detail": error.reason}, status=error.status)


def _delivery(request: HttpRequest) -> Delivery:
    return Delivery(token=request.auth)


def _check_length(request: HttpRequest, limit: int) -> None:
    """Refuse a body over `limit` from its Content-Length, before reading any of it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        # Without a length Django reads no body at all (a chunked upload reads as empty).
        raise HttpError(411, "a Content-Length is required") from None
    if length > limit:
        raise HttpError(413, f"the body is larger than {limit} bytes")


# --- Documents --------------------------------------------------------------------------


class InvoiceIn(Schema):
    contract_number: str = Field(min_length=1, max_length=50)
    issued_on: date
    period_start: date
    period_end: date
    due_on: date
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    status: Literal["unpaid", "paid", "cancelled"]


class ContractDocumentIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    dated: date


class DocumentOut(Schema):
    outcome: Literal["created", "updated", "unchanged"]


def _form_schema(fields: type[Schema]) -> dict:
    schema = fields.model_json_schema()
    schema["properties"]["pdf"] = {
        "type": "string",
        "format": "binary",
        "description": "The PDF; needed when the document is new, optional after.",
    }
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    }


def _form(request: HttpRequest, fields: type[Schema]) -> tuple[Any, Any]:
    """The form's fields checked against `fields`, and its PDF (or None)."""
    _check_length(request, settings.TICKETS_ATTACHMENT_MAX_BYTES + _FORM_OVERHEAD_BYTES)
    if request.content_type != "multipart/form-data":
        raise HttpError(415, "send multipart/form-data")
    try:
        data, files = MultiPartParser(
            request.META, request, request.upload_handlers, request.encoding
        ).parse()
    except (MultiPartParserError, TooManyFieldsSent, RequestDataTooBig):
        raise HttpError(400, "the multipart body cannot be read") from None
    if any("\x00" in text for key, values in data.lists() for text in (key, *values)):
        # Django's guard against NUL reads the forms of POST requests only.
        raise HttpError(400, "a NUL character in the form")
    try:
        checked = fields.model_validate(data.dict())
    except pydantic.ValidationError as error:
        raise ValidationError(json.loads(error.json(include_url=False))) from None
    return checked, files.get("pdf")


@api.put(
    "/invoices/{number}",
    response={200: DocumentOut, 201: DocumentOut},
    summary="Create or update an invoice",
    openapi_extra=_form_schema(InvoiceIn),
)
def put_invoice(request: HttpRequest, number: str) -> Status:
    """Idempotent by number. The same number with another amount, currency or contract
    is refused (409)."""
    fields, pdf = _form(request, InvoiceIn)
    _invoice, outcome = services.invoice_put(
        number=number, pdf=pdf, delivery=_delivery(request), **fields.model_dump()
    )
    return Status(201 if outcome == "created" else 200, {"outcome": outcome})


@api.put(
    "/customers/{contract_number}/documents/{key}",
    response={200: DocumentOut, 201: DocumentOut},
    summary="Create or replace a contract document of a customer",
    openapi_extra=_form_schema(ContractDocumentIn),
)
def put_contract_document(request: HttpRequest, contract_number: str, key: str) -> Status:
    """Idempotent by (contract number, key): the billing system's own name of the
    document."""
    fields, pdf = _form(request, ContractDocumentIn)
    _document, outcome = services.contract_document_put(
        contract_number=contract_number,
        key=key,
        pdf=pdf,
        delivery=_delivery(request),
        **fields.model_dump(),
    )
    return Status(201 if outcome == "created" else 200, {"outcome": outcome})


# --- Numbers ----------------------------------------------------------------------------


class NumbersIn(Schema):
    numbers: list[str] = Field(max_length=10_000)


class NumbersOut(Schema):
    added: list[str]
    moved: list[str]
    removed: list[str]
    unchanged: list[str]


@api.put(
    "/customers/{contract_number}/numbers",
    response=NumbersOut,
    summary="Set the telephone numbers a customer holds",
)
def put_numbers(request: HttpRequest, contract_number: str, body: NumbersIn) -> dict:
    """All and only these numbers are the customer's afterwards; a number another
    customer held moves to this one. Call records are accepted only from them."""
    return services.customer_numbers_put(
        contract_number=contract_number, numbers=body.numbers, delivery=_delivery(request)
    )


# --- Usage in bulk ----------------------------------------------------------------------


class Rejected(Schema):
    line: int
    reason: str


class FailedBatch(Schema):
    first_line: int
    last_line: int
    rows: int
    reason: str


class ReportOut(Schema):
    rows: int = Field(description="Rows read.")
    imported: int
    duplicates: int = Field(description="Rows already imported by an earlier delivery.")
    rejected: list[Rejected]
    failed_batches: list[FailedBatch]
    stopped_at_line: int | None = Field(
        description="Set when the body had more rows than one request may hold: this "
        "line and those after it were not read."
    )


_BULK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


def _bulk(request: HttpRequest, importer: Any) -> dict:
    _check_length(request, settings.BILLING_API_MAX_BODY_BYTES)
    content_type = feeds.CONTENT_TYPES.get(request.content_type or "")
    if content_type is None:
        raise HttpError(415, "send text/csv or application/x-ndjson")
    report = importer(stream=request, content_type=content_type, delivery=_delivery(request))
    return report.as_dict()


@api.post(
    "/call-records",
    response=ReportOut,
    summary="Import call records (CSV or NDJSON)",
    openapi_extra=_BULK_BODY,
)
def post_call_records(request: HttpRequest) -> dict:
    """Rows are checked one by one and written in batches, each all or nothing; the
    response lists the rows refused, by line, with the reason. Idempotent by record id
    and start time."""
    return _bulk(request, services.call_records_import)


@api.post(
    "/traffic-samples",
    response=ReportOut,
    summary="Import 5-minute traffic samples (CSV or NDJSON)",
    openapi_extra=_BULK_BODY,
)
def post_traffic_samples(request: HttpRequest) -> dict:
    """As call records; idempotent by address and time."""
    return _bulk(request, services.traffic_samples_import)
