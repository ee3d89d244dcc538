"""Registration and activation (issue 2, seed 001)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Customer, User
from tests.factories import PASSWORD, link_in

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
LOGIN = reverse("accounts:login")


def registration(**overrides) -> dict:
    data = {
        "full_name": "Nikos Papadopoulos",
        "email": "nikos@example.com",
        "username": "nikos",
        "company_name": "Papadopoulos Hosting",
        "contract_number": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def register(client, **overrides):
    return client.post(REGISTER, registration(**overrides))


def test_registration_page_has_a_labelled_field_for_each_detail(client):
    response = client.get(REGISTER)
    assert response.status_code == 200
    for name in ("full_name", "email", "username", "company_name", "password1", "password2"):
        assert f'<label for="id_{name}">' in response.text


def test_registering_creates_an_inactive_owner_of_a_new_customer(client, mailoutbox):
    response = register(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    user = User.objects.get(username="nikos")
    assert not user.is_active
    assert user.email == "nikos@example.com"
    assert user.full_name == "Nikos Papadopoulos"
    assert user.role == User.Role.OWNER
    assert user.customer.name == "Papadopoulos Hosting"
    assert user.customer.contract_number is None
    assert user.check_password(PASSWORD)
    assert AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.REGISTERED).exists()


def test_without_company_name_the_customer_is_named_after_the_person(client):
    register(client, company_name="")
    assert User.objects.get(username="nikos").customer.name == "Nikos Papadopoulos"


def test_check_your_email_page_says_the_activation_link_was_sent(client):
    response = client.get(reverse("accounts:register_done"))
    assert response.status_code == 200
    assert "activation link" in response.text
    assert "before you can log in" in response.text


def test_registration_emails_an_activation_link_that_activates_the_login(client, mailoutbox):
    register(client)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nikos@example.com"]
    assert "Activate your account" in message.subject
    assert "Hello Nikos Papadopoulos" in message.body
    assert PASSWORD not in message.body
    assert message.alternatives and "Nikos Papadopoulos" in message.alternatives[0][0]

    response = client.get(link_in(message, "/accounts/activate/"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert User.objects.get(username="nikos").is_active
    page = client.get(LOGIN)
    assert "Your account is active" in page.text
    assert client.post(LOGIN, {"username": "nikos", "password": PASSWORD}).status_code == 302


def test_login_before_activation_says_so_and_offers_to_resend_the_link(client, mailoutbox):
    register(client)

    response = client.post(LOGIN, {"username": "nikos", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not activated yet" in response.text
    assert f'<a href="{reverse("accounts:activation_resend")}">' in response.text


def test_login_before_activation_with_a_wrong_password_reveals_nothing(client):
    register(client)

    response = client.post(LOGIN, {"username": "nikos", "password": "wrong-password-1"})

    assert "not activated" not in response.text
    assert "not correct" in response.text


def test_activation_link_can_be_sent_again(client, mailoutbox):
    register(client)
    mailoutbox.clear()

    response = client.post(reverse("accounts:activation_resend"), {"email": "NIKOS@example.com"})

    assert response.status_code == 200
    assert "Check your email" in response.text
    assert len(mailoutbox) == 1
    client.get(link_in(mailoutbox[0], "/accounts/activate/"))
    assert User.objects.get(username="nikos").is_active


def test_resending_to_an_unknown_or_active_address_sends_nothing_and_looks_the_same(
    client, mailoutbox, owner
):
    unknown = client.post(reverse("accounts:activation_resend"), {"email": "nobody@example.com"})
    active = client.post(reverse("accounts:activation_resend"), {"email": owner.email})

    assert mailoutbox == []
    assert unknown.status_code == active.status_code == 200
    assert "Check your email" in unknown.text
    assert "Check your email" in active.text


def test_activation_link_works_until_it_expires(client, mailoutbox, settings):
    settings.ACCOUNT_ACTIVATION_DAYS = 3
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        register(client)
        link = link_in(mailoutbox[0], "/accounts/activate/")
        traveller.shift(timedelta(days=3, minutes=1))

        response = client.get(link)

    assert response.status_code == 400
    assert "expired or has already been used" in response.text
    assert reverse("accounts:activation_resend") in response.text
    assert not User.objects.get(username="nikos").is_active


def test_activation_link_still_works_just_before_it_expires(client, mailoutbox, settings):
    settings.ACCOUNT_ACTIVATION_DAYS = 3
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        register(client)
        link = link_in(mailoutbox[0], "/accounts/activate/")
        traveller.shift(timedelta(days=3) - timedelta(minutes=1))

        response = client.get(link)

    assert response.status_code == 302
    assert User.objects.get(username="nikos").is_active


def test_activation_link_works_only_once(client, mailoutbox):
    register(client)
    link = link_in(mailoutbox[0], "/accounts/activate/")
    client.get(link)

    response = client.get(link)

    assert response.status_code == 400
    assert "expired or has already been used" in response.text


def test_a_tampered_activation_link_is_refused(client, mailoutbox):
    register(client)
    link = link_in(mailoutbox[0], "/accounts/activate/")

    response = client.get(link.rstrip("/") + "x/")

    assert response.status_code == 400
    assert not User.objects.get(username="nikos").is_active


def test_a_deactivated_login_cannot_be_reactivated_by_an_old_link(client, mailoutbox):
    register(client)
    link = link_in(mailoutbox[0], "/accounts/activate/")
    client.get(link)
    client.post(LOGIN, {"username": "nikos", "password": PASSWORD})
    User.objects.filter(username="nikos").update(is_active=False)

    assert client.get(link).status_code == 400
    assert not User.objects.get(username="nikos").is_active


def test_registering_an_address_that_has_an_account_shows_the_same_page_and_tells_that_address(
    client, mailoutbox, owner
):
    users, customers = User.objects.count(), Customer.objects.count()

    response = register(client, email=owner.email.upper(), username="someone.else")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    assert User.objects.count() == users
    assert Customer.objects.count() == customers
    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == [owner.email]
    assert "already have an account" in notice.subject
    assert f"Hello {owner.full_name}" in notice.body
    assert owner.username in notice.body
    assert "/accounts/activate/" not in notice.body
    assert reverse("accounts:password_reset") in notice.body


@pytest.mark.parametrize("taken", ["olga.owner", "OLGA.Owner"])
def test_a_username_taken_in_any_case_is_refused(client, owner, taken):
    response = register(client, username=taken)

    assert response.status_code == 200
    assert "username is taken" in response.context["form"].errors["username"][0]
    assert not User.objects.filter(email="nikos@example.com").exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("full_name", {"full_name": ""}),
        ("email", {"email": ""}),
        ("email", {"email": "not-an-address"}),
        ("username", {"username": ""}),
        ("username", {"username": "has spaces"}),
        ("username", {"username": "ab/cd"}),
        ("password1", {"password1": "", "password2": ""}),
        ("password2", {"password2": "something-else-42"}),
        ("password1", {"password1": "short", "password2": "short"}),
        ("password1", {"password1": "password123", "password2": "password123"}),
        ("password1", {"password1": "8437261905", "password2": "8437261905"}),
        (
            "password1",
            {
                "username": "papadopoulos.n",
                "password1": "Papadopoulos.N",
                "password2": "Papadopoulos.N",
            },
        ),
        ("full_name", {"full_name": "x" * 151}),
    ],
)
def test_every_bad_input_gives_a_field_error_and_saves_nothing(
    client, mailoutbox, field, overrides
):
    response = register(client, **overrides)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Please correct the errors below." in response.text
    assert User.objects.count() == 0
    assert Customer.objects.count() == 0
    assert mailoutbox == []


def test_contract_number_is_optional_by_default(client, settings):
    settings.REGISTRATION_REQUIRES_CONTRACT_NUMBER = False
    register(client, contract_number="")
    assert User.objects.filter(username="nikos").exists()


def test_contract_number_is_required_when_the_provider_says_so(client, settings):
    settings.REGISTRATION_REQUIRES_CONTRACT_NUMBER = True

    missing = register(client, contract_number="")

    assert missing.status_code == 200
    assert missing.context["form"].errors["contract_number"]
    assert User.objects.count() == 0

    register(client, contract_number=" K-778 ")
    assert User.objects.get(username="nikos").customer.contract_number == "K-778"


@pytest.mark.parametrize("number", ["C-1001", "c-1001"])
def test_a_contract_number_that_already_has_an_account_is_refused(client, owner, number):
    response = register(client, contract_number=number)

    assert response.status_code == 200
    assert "already has an account" in response.context["form"].errors["contract_number"][0]
    assert not User.objects.filter(username="nikos").exists()
    assert Customer.objects.count() == 1


def test_new_login_speaks_the_language_it_registered_in(client, mailoutbox):
    client.cookies["django_language"] = "el"
    register(client)
    assert User.objects.get(username="nikos").language == "el"


def test_a_login_closed_after_activation_cannot_be_reopened_by_a_new_link(client, mailoutbox):
    register(client)
    client.get(link_in(mailoutbox[0], "/accounts/activate/"))
    User.objects.filter(username="nikos").update(is_active=False)
    mailoutbox.clear()

    client.post(reverse("accounts:activation_resend"), {"email": "nikos@example.com"})
    login = client.post(LOGIN, {"username": "nikos", "password": PASSWORD})

    assert mailoutbox == []
    assert "not activated" not in login.text
    assert not User.objects.get(username="nikos").is_active


def test_an_address_with_an_account_costs_the_same_password_hashing_as_a_new_one(
    client, owner, monkeypatch
):
    from django.contrib.auth.hashers import MD5PasswordHasher

    hashed = []
    encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        hashed.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)

    register(client, email="new.person@example.com", username="new.person")
    register(client, email=owner.email, username="someone.else")

    assert hashed == [PASSWORD, PASSWORD]


def test_a_taken_username_is_told_only_with_an_otherwise_valid_form(client, owner):
    response = register(client, username=owner.username, password2="something-else-42")

    errors = response.context["form"].errors
    assert list(errors) == ["password2"]
    assert "taken" not in response.text


def test_a_contract_that_has_an_account_is_told_only_with_an_otherwise_valid_form(client, owner):
    response = register(client, contract_number="C-1001", full_name="")

    errors = response.context["form"].errors
    assert list(errors) == ["full_name"]
    assert "already has an account" not in response.text


def test_an_otherwise_valid_form_names_both_a_taken_username_and_a_taken_contract(client, owner):
    response = register(client, username=owner.username.upper(), contract_number="c-1001")

    errors = response.context["form"].errors
    assert "username is taken" in errors["username"][0]
    assert "already has an account" in errors["contract_number"][0]
    assert not User.objects.filter(email="nikos@example.com").exists()
