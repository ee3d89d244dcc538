"""Fixtures of the billing tests: private files in a temporary folder, an integration's
token and a client that sends it over HTTPS, and the numbers the customers hold."""

import pytest

from billing.models import CustomerNumber
from tests.factories import OTHER_NUMBER, OWN_NUMBER, ApiClient, make_api_token


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def api_token(db):
    return make_api_token()


@pytest.fixture
def api(api_token) -> ApiClient:
    """The billing system: its token in every request, over HTTPS."""
    _token, secret = api_token
    return ApiClient(secret)


@pytest.fixture
def numbers(customer, other_customer):
    """C-1001 holds OWN_NUMBER, C-2002 holds OTHER_NUMBER."""
    CustomerNumber.objects.create(customer=customer, number=OWN_NUMBER)
    CustomerNumber.objects.create(customer=other_customer, number=OTHER_NUMBER)
