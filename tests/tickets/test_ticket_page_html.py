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


REPLY_ROWS = Template(
    """{% for field in reply_form.visible_fields %}
        {% if field.name == "attachments" %}
          <div class="form-row">{% with form=reply_form %}{% include "tickets/includes/attachments_field.html" %}{% endwith %}</div>
        {% else %}
          <div class="form-row{% if field.errors %} errors{% endif %}">
            {{ field.errors }}
            {% if field.field.widget.input_type == "checkbox" %}{{ field }} {{ field.label_tag }}{% else %}{{ field.label_tag }} {{ field }}{% endif %}
          </div>
        {% endif %}
      {% endfor %}"""  # noqa: E501 - the ticket page's template as it was
)


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_reply_forms_rows_are_what_the_template_wrote(agent_client, open_ticket, language):
    ticket = open_ticket()
    agent_client.cookies["django_language"] = language
    fresh = agent_client.get(change_url(ticket)).context["reply_form"]
    wrong = agent_client.post(
        reverse("admin:tickets_ticket_reply", args=[ticket.pk]),
        {"body": "", "status": "nonsense", "internal": "on", "seen_message_id": "x"},
    ).context["reply_form"]
    assert wrong.errors.keys() >= {"body", "status", "seen_message_id"}
    tag = Template("{% load ticket_page %}{% reply_form_rows reply_form %}")
    with translation.override(language):
        for form in (fresh, wrong):
            context = Context({"reply_form": form})
            assert parse_html(tag.render(context)) == parse_html(REPLY_ROWS.render(context))
            hidden = "".join(str(field) for field in form.hidden_fields())
            assert 'type="hidden" name="seen_message_id"' in hidden


def test_the_plain_widgets_write_what_djangos_write():
    from django import forms

    from tickets.forms import PlainCheckboxInput, PlainHiddenInput, PlainTextarea

    attrs = {"id": "x", "required": True, "disabled": False, "data-x": '<&>"'}
    pairs = [
        (PlainHiddenInput, forms.HiddenInput),
        (PlainTextarea, forms.Textarea),
        (PlainCheckboxInput, forms.CheckboxInput),
    ]
    for plain, djangos in pairs:
        for value in (None, "", 0, 12, True, False, 'a "quoted" <b>&</b>\nline', "on"):
            widget_attrs = {"rows": 8, "class": "a&b"}
            assert plain(attrs=widget_attrs).render("n&m", value, attrs) == djangos(
                attrs=widget_attrs
            ).render("n&m", value, attrs), (plain, value)


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_assignees_raw_id_widget_writes_what_the_admins_writes_without_reading_again(
    agent_client, agent, supervisor, open_ticket, language, django_assert_num_queries
):
    from django.contrib.admin.widgets import ForeignKeyRawIdWidget

    from tickets import services

    ticket = open_ticket()
    services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
    agent_client.cookies["django_language"] = language
    form = agent_client.get(change_url(ticket)).context["adminform"].form
    widget = form.fields["assignee"].widget
    assert widget.known == agent
    with translation.override(language):
        for value in (agent.pk, str(agent.pk), None, "", supervisor.pk, "x", 999999):
            attrs = {"id": "id_assignee"}
            with django_assert_num_queries(1 if value in (supervisor.pk, 999999) else 0):
                ours = widget.render("assignee", value, attrs)
            djangos = ForeignKeyRawIdWidget.render(widget, "assignee", value, attrs)
            assert parse_html(ours) == parse_html(djangos), value
        assert agent.get_full_name() in widget.render("assignee", agent.pk, {})
