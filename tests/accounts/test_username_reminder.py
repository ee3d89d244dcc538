"""Forgotten username: the username is mailed; the page reveals nothing (seed 001)."""

import re

import pytest
from django.urls import reverse

from tests.factories import link_in

pytestmark = pytest.mark.django_db

REMINDER = reverse("accounts:username_reminder")


def without_csrf_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_the_page_asks_for_the_email_address(client):
    response = client.get(REMINDER)
    assert response.status_code == 200
    assert 'for="id_email"' in response.text
    assert "Please enter the email address associated with your account" in response.text


def test_the_username_is_mailed_to_the_address_of_the_account(client, owner, mailoutbox):
    response = client.post(REMINDER, {"email": "Olga.Owner@EXAMPLE.com"})

    assert response.status_code == 200
    assert "Check your email" in response.text
    assert owner.username not in response.text
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [owner.email]
    assert "Your username at Support Portal" in message.subject
    assert f"Hello {owner.full_name}" in message.body
    assert f"Your username is: {owner.username}" in message.body
    assert link_in(message, "/accounts/login/") == reverse("accounts:login")
    assert owner.username in message.alternatives[0][0]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, owner, mailoutbox):
    known = client.post(REMINDER, {"email": owner.email})
    mailoutbox.clear()

    unknown = client.post(REMINDER, {"email": "nobody@example.com"})

    assert mailoutbox == []
    assert unknown.status_code == known.status_code
    assert without_csrf_token(unknown.text) == without_csrf_token(known.text)


def test_an_invalid_address_gives_a_field_error_and_sends_nothing(client, mailoutbox):
    response = client.post(REMINDER, {"email": "olga at example"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'id="id_email_error"' in response.text
    assert mailoutbox == []
