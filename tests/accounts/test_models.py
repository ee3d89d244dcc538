"""Data rules the database itself enforces, and mobile number validation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Customer, User
from accounts.phone import format_mobile, normalize_mobile
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_two_logins_cannot_share_an_email_in_any_case(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="someone", email="OLGA.Owner@Example.COM")


def test_two_logins_cannot_share_a_username_in_any_case(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Olga.OWNER", email="another@example.com")


def test_two_customers_cannot_share_a_contract_number(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(name="Copy", contract_number="C-1001")


def test_many_customers_may_have_no_contract_number(db):
    Customer.objects.create(name="First")
    Customer.objects.create(name="Second")
    assert Customer.objects.filter(contract_number__isnull=True).count() == 2


def test_a_login_is_found_by_username_or_email_in_any_case(owner):
    assert User.objects.get_by_login("OLGA.owner") == owner
    assert User.objects.get_by_login(" olga.owner@EXAMPLE.com ") == owner
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_login("nobody")


@pytest.mark.parametrize(
    "number", ["+306912345678", "+30 691 234 5678", "6912345678", "+393471234567"]
)
def test_a_mobile_number_passes_model_validation(owner, number):
    owner.mobile = number
    owner.full_clean()


@pytest.mark.parametrize("number", ["12345", "+30 210 123 4567", "mobile", "+99 123"])
def test_a_number_that_is_not_a_valid_mobile_fails_model_validation(owner, number):
    owner.mobile = number
    with pytest.raises(ValidationError) as error:
        owner.full_clean()
    assert "mobile" in error.value.message_dict


def test_a_mobile_number_is_normalized_to_e164_and_shown_internationally():
    assert normalize_mobile(" 691 234 5678 ") == "+306912345678"
    assert format_mobile("+306912345678") == "+30 691 234 5678"
    assert format_mobile("") == ""


def test_a_login_is_named_by_its_full_name_or_else_its_username(db):
    named = make_user("nina", full_name="Nina Nikolaou")
    unnamed = make_user("bare", full_name="")
    assert str(named) == "Nina Nikolaou" and named.get_short_name() == "Nina"
    assert str(unnamed) == "bare" and unnamed.get_full_name() == "bare"


def test_only_the_owner_role_makes_a_customer_owner(owner, member, agent):
    assert owner.is_customer_owner
    assert not member.is_customer_owner
    assert not agent.is_customer_owner
    assert not agent.has_customer_permission("can_view_invoices")
