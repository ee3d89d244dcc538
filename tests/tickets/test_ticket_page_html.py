"""The ticket page writes some of its HTML in Python (tickets/templatetags/ticket_page.py)
for speed: each part is the HTML of the templates it replaces, in English and Greek, for
a fresh form and one with errors."""

import pytest
from django.contrib.admin import helpers
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def djangos_fieldsets(adminform) -> str:
    """change_form.html's field_sets block, as Django writes it."""
    return "".join(
        render_to_string(
            "admin/includes/fieldset.html",
            {
                "fieldset": fieldset,
                "heading_level": 2,
                "prefix": "fieldset",
                "id_prefix": 0,
                "id_suffix": index,
            },
        )
        for index, fieldset in enumerate(adminform)
    )


def ours(adminform) -> str:
    return Template("{% load ticket_page %}{% ticket_fieldsets adminform %}").render(
        Context({"adminform": adminform})
    )


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_ticket_forms_fieldsets_are_the_admins(agent_client, open_ticket, language):
    ticket = open_ticket()
    agent_client.cookies["django_language"] = language
    fresh = agent_client.get(change_url(ticket)).context["adminform"]
    wrong = agent_client.post(
        change_url(ticket), {"status": "nonsense", "priority": "", "assignee": "x"}
    ).context["adminform"]
    assert wrong.form.errors.keys() >= {"status", "priority", "category", "assignee"}
    with translation.override(language):
        for adminform in (fresh, wrong):
            written = ours(adminform)
            assert parse_html(written) == parse_html(djangos_fieldsets(adminform))
        assert 'class="form-row errors field-status"' in ours(wrong)


def test_other_fieldsets_are_left_to_the_admins_template(agent_client, open_ticket):
    ticket = open_ticket()
    adminform = agent_client.get(change_url(ticket)).context["adminform"]
    named = helpers.AdminForm(
        adminform.form,
        [
            ("Who", {"fields": ["assignee"], "description": "<em>The agent</em>"}),
            (None, {"fields": [("status", "priority"), "category"]}),
            (None, {"fields": ["category"]}),
        ],
        {},
        readonly_fields=["category"],
        model_admin=adminform.model_admin,
    )
    assert parse_html(ours(named)) == parse_html(djangos_fieldsets(named))
