"""The ticket page writes some of its HTML in Python (tickets/templatetags/ticket_page.py)
for speed: each part is the HTML of the templates it replaces, in English and Greek, for
a fresh form and one with errors."""

import re

import pytest
from django.contrib.admin import helpers
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation

from tests.factories import logged_in_verified, make_user

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


def admin_header_of(page: str) -> str:
    """The admin's header, its CSRF tokens (masked anew for each page) left out."""
    header = page[page.index('<header id="header">') : page.index("</header>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", header)


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_kept_admin_header_is_the_one_the_admins_templates_write(
    agent_client, open_ticket, language
):
    """The ticket page's header ({% admin_header %}) against the header of an admin page
    that renders it with the templates, for an agent and a supervisor."""
    ticket = open_ticket()
    supervisor_client = logged_in_verified(
        make_user("<b>sue</b>", is_staff=True, is_superuser=True)
    )
    for client in (agent_client, supervisor_client):
        client.cookies["django_language"] = language
        ours = admin_header_of(client.get(change_url(ticket)).content.decode())
        page = client.get(reverse("admin:tickets_cannedreply_changelist")).content.decode()
        templates = admin_header_of(page).replace(
            'value="/admin/tickets/cannedreply/"', f'value="{change_url(ticket)}"'
        )
        assert ours == templates


def test_the_kept_admin_header_has_each_logins_own_name_token_and_address(
    agent_client, agent, open_ticket
):
    ticket = open_ticket()
    other = logged_in_verified(make_user("<b>eve</b>", is_staff=True, full_name=""))
    first = admin_header_of(agent_client.get(change_url(ticket)).content.decode())
    second = admin_header_of(other.get(change_url(ticket) + '?x="y').content.decode())

    assert f"<strong>{agent.get_short_name()}</strong>" in first
    assert "<strong>&lt;b&gt;eve&lt;/b&gt;</strong>" in second
    assert agent.get_short_name() not in second
    assert f'value="{change_url(ticket)}?x=%22y"' in second


def test_the_kept_admin_headers_token_is_the_pages_and_is_accepted(agent_client, open_ticket):
    ticket = open_ticket()
    agent_client.handler.enforce_csrf_checks = True
    page = agent_client.get(change_url(ticket)).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)

    assert len(tokens) == 4 and len(set(tokens)) == 1
    response = agent_client.post(
        reverse("portal:set_language"),
        {"language": "el", "next": change_url(ticket), "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == 302
    assert "selected>Ελληνικά" in agent_client.get(change_url(ticket)).content.decode()


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_categorys_wrapper_writes_what_the_admins_template_writes(
    agent_client, open_ticket, language
):
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

    from tickets.forms import PlainRelatedFieldWidgetWrapper

    ticket = open_ticket()
    agent_client.cookies["django_language"] = language
    form = agent_client.get(change_url(ticket)).context["adminform"].form
    widget = form.fields["category"].widget
    assert type(widget) is PlainRelatedFieldWidgetWrapper
    with translation.override(language):
        for can in range(16):
            widget.can_change_related = bool(can & 1)
            widget.can_add_related = bool(can & 2)
            widget.can_delete_related = bool(can & 4)
            widget.can_view_related = bool(can & 8)
            for value in (ticket.category_id, None, '"<x>'):
                attrs = {"id": "id_category"}
                ours = widget.render("category", value, attrs)
                djangos = RelatedFieldWidgetWrapper.render(widget, "category", value, attrs)
                assert ours == djangos, (can, value)


def test_the_ticket_pages_scripts_and_style_sheets_are_what_django_writes(
    agent_client, open_ticket
):
    from django import forms

    from tickets.admin import QueueMedia

    ticket = open_ticket()
    for _ in range(2):  # written, then kept
        media = agent_client.get(change_url(ticket)).context["media"]
        djangos = forms.Media()
        djangos._css_lists, djangos._js_lists = media._css_lists, media._js_lists
        assert type(media) is QueueMedia
        assert str(media) == str(djangos) and "tickets.css" in str(media)

    other = QueueMedia.of(forms.Media(js=["a.js"]))
    assert str(other) == str(forms.Media(js=["a.js"]))


def test_the_attachments_input_writes_what_djangos_writes():
    from django import forms
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.forms import MultipleFileInput

    class Kept:
        url = "/kept/a&b.pdf"

        def __str__(self):
            return "a&b.pdf"

    djangos = type(
        "DjangosMultiple", (forms.ClearableFileInput,), {"allow_multiple_selected": True}
    )
    for attrs in (
        {},
        {"id": "id_a", "accept": '.pdf,"x"', "aria-describedby": "h", "required": True},
    ):
        for value in (None, "", [], SimpleUploadedFile("x.txt", b"x"), Kept()):
            widget_attrs = {"class": "a&b", "disabled": False}
            ours = MultipleFileInput(attrs=widget_attrs).render("n&m", value, attrs)
            assert ours == djangos(attrs=widget_attrs).render("n&m", value, attrs), (attrs, value)
