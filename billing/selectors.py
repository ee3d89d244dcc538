"""Reads of the billing data."""

from billing.models import ApiToken


def api_token_for(secret: str) -> ApiToken | None:
    """The active token whose secret this is, found by its hash."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    return ApiToken.objects.filter(
        key_hash=ApiToken.hash_of(secret), revoked_at__isnull=True
    ).first()
