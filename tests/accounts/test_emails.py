"""Every account email: subject, text and HTML, in every language of the portal."""

import pytest
from django.conf import settings

from portal.mail import render_email
from tests.factories import make_user

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
