"""The customer's billing pages. Each is for the logins holding its permission
(User.CUSTOMER_PERMISSIONS); anyone else gets 404, as if the page did not exist."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from billing import selectors
from billing.models import ContractDocument, Invoice


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
    response = FileResponse(
        document.pdf.open("rb"),
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
