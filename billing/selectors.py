"""Reads of the billing data."""

from django.db.models import QuerySet

from accounts.models import Customer
from billing.models import ApiToken, ContractDocument, Invoice


def api_token_for(secret: str) -> ApiToken | None:
    """The active token whose secret this is, found by its hash."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    return ApiToken.objects.filter(
        key_hash=ApiToken.hash_of(secret), revoked_at__isnull=True
    ).first()


def invoices_of(customer: Customer) -> QuerySet[Invoice]:
    """The customer's invoices, the newest first (served by the (customer, issued) index)."""
    return Invoice.objects.filter(customer=customer).order_by("-issued_on", "-number")


def contract_documents_of(customer: Customer) -> QuerySet[ContractDocument]:
    return ContractDocument.objects.filter(customer=customer).order_by("-dated", "title")
