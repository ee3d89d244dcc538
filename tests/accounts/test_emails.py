"""Every account email: subject, text and HTML, in every language of the portal."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import services
from portal.mail import render_email
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LINK = "http://portal.example/accounts/some-link/"

EMAILS = {
    "activation": {"link": LINK, "days": 3},
    "already_registered": {"login_url": LINK, "reset_url": LINK},
    "username_reminder": {"login_url": LINK},
    "email_change_confirm": {"new_email": "new@example.com", "link": LINK, "hours": 24},
    "email_change_notice": {"new_email": "new@example.com"},
    "password_changed": {"reset_url": LINK},
    "invitation": {"link": LINK, "days": 7},
    "invitation_address_in_use": {},
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("prefix", sorted(EMAILS))
def test_each_email_greets_by_full_name_names_the_site_and_has_an_html_version(
    owner, member, prefix, language
):
    context = {"user": owner, "inviter": member, "customer": owner.customer, **EMAILS[prefix]}

    subject, text, html = render_email(f"accounts/email/{prefix}", context, language)

    assert subject and "\n" not in subject
    assert owner.full_name in text and owner.full_name in html
    assert settings.SITE_NAME in text and settings.SITE_NAME in html
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert f'lang="{language}"' in html
    if "link" in context:
        assert LINK in text and f'href="{LINK}"' in html


def test_text_emails_do_not_html_escape_names(customer):
    person = make_user("o.brien", full_name="Seán O'Brien & Sons")

    _subject, text, html = render_email(
        "accounts/email/username_reminder", {"user": person, "login_url": LINK}, "en"
    )

    assert "Seán O'Brien & Sons" in text
    assert "O&#x27;Brien &amp; Sons" in html


def test_account_emails_go_to_registered_addresses_only_through_email_user(
    owner, member, owner_client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """Only the confirmation link to a new address, not yet any login's, is written to an
    address of the caller's choosing; every other account email goes through email_user,
    which can only write to the login's registered address."""
    direct = []
    real = services.send_templated_email

    def spy(*, to: str, **kwargs) -> None:
        direct.append(to)
        real(to=to, **kwargs)

    monkeypatch.setattr(services, "send_templated_email", spy)

    with django_capture_on_commit_callbacks(execute=True):
        services.customer_register(
            full_name="Nikos",
            email="nikos@example.com",
            username="nikos",
            password=PASSWORD,
            company_name="",
        )
        services.activation_resend(email="nikos@example.com", language="en")
        services.customer_register(
            full_name="Olga",
            email=owner.email,
            username="olga2",
            password=PASSWORD,
            company_name="",
        )
        services.username_remind(email=owner.email, language="en")
        services.password_changed(user=owner, acting_user=owner)
    owner_client.post(reverse("accounts:password_reset"), {"email": owner.email})
    for new_email in (member.email, "olga@new.example"):
        owner_client.post(
            reverse("accounts:email_change"), {"new_email": new_email, "current_password": PASSWORD}
        )
    for email, username in (("maria@example.com", "maria"), (member.email, "mario2")):
        owner_client.post(
            reverse("accounts:people"),
            {"full_name": "Maria Member", "email": email, "username": username},
        )

    assert direct == ["olga@new.example"]
    assert [message.to[0] for message in mailoutbox] == [
        "nikos@example.com",  # activation
        "nikos@example.com",  # activation, again
        owner.email,  # already registered
        owner.email,  # username reminder
        owner.email,  # password changed
        owner.email,  # password reset
        member.email,  # their address is in use
        owner.email,  # notice of the change asked
        "olga@new.example",  # confirmation link
        owner.email,  # notice of the change asked
        "maria@example.com",  # invitation
        member.email,  # someone tried to invite their address
    ]
