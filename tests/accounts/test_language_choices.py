"""The languages a login can choose are those of the site (settings.LANGUAGES)."""

import re

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def details(user: User, **overrides) -> dict:
    return {
        "full_name": user.full_name,
        "mobile": user.mobile,
        "language": user.language,
        **overrides,
    }


def test_the_languages_offered_are_those_of_the_site_named_as_the_language_switch_names_them(
    owner_client, settings
):
    page = owner_client.get(PROFILE)

    options = list(page.context["form"]["language"].field.choices)
    assert [code for code, _name in options] == [code for code, _name in settings.LANGUAGES]
    assert dict(options)["el"] == "Ελληνικά"
    switch = re.findall(
        r'<option value="(\w+)" lang="\w+"(?: selected)?>([^<]+)</option>', page.text
    )
    assert switch == options


def test_a_language_added_to_the_site_can_be_chosen_without_a_migration(
    owner_client, owner, settings
):
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "German")]

    assert '<option value="de">Deutsch</option>' in owner_client.get(PROFILE).text
    response = owner_client.post(PROFILE, details(owner, language="de"))

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.language == "de"
    owner.full_clean()
