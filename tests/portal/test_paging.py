"""page_of: a page of a list and the list's count in one query (portal/paging.py), with
what Django's Paginator.get_page gives."""

import pytest
from django.core.paginator import Paginator

from accounts.models import Customer
from portal.paging import page_of
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers():
    for index in range(23):
        make_customer(contract_number=f"C-{index:04d}")
    return Customer.objects.filter(contract_number__startswith="C-").order_by("contract_number")


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "5", "999", "0", "-1", "two", 2])
def test_a_page_is_what_paginators_get_page_gives(customers, number):
    expected = Paginator(customers, 10).get_page(number)

    page = page_of(customers, number, 10)

    assert list(page.object_list) == list(expected.object_list)
    assert page.number == expected.number
    assert page.paginator.count == 23 and page.paginator.num_pages == 3
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())


def test_a_page_with_rows_takes_one_query(customers, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_of(customers, "2", 10)
        assert page.paginator.num_pages == 3 and len(page.object_list) == 10


def test_an_empty_list_has_one_empty_page():
    page = page_of(Customer.objects.none(), "1", 10)

    assert list(page.object_list) == [] and page.number == 1
    assert page.paginator.count == 0
