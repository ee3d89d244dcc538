"""Agents switch language from the admin too, through the portal's language switch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_agent_switches_the_admin_to_greek_and_the_choice_is_kept_on_the_login(
    agent_client, agent
):
    page = agent_client.get(reverse("admin:index")).text
    assert f'action="{reverse("portal:set_language")}"' in page
    response = agent_client.post(
        reverse("portal:set_language"), {"language": "el", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    agent.refresh_from_db()
    assert agent.language == "el"
    page = agent_client.get(reverse("admin:index")).text
    assert '<html lang="el"' in page
