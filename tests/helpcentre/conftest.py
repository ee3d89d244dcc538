import pytest

from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy


@pytest.fixture(autouse=True)
def _sla_policies(db):
    install_defaults(Category, SlaPolicy)
