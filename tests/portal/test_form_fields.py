"""{% form_field %} writes what includes/field.html writes (portal/templatetags/form_fields.py)."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from tickets.forms import CustomerReplyForm


class Sample(forms.Form):
    name = forms.CharField(label="Name & <title>", help_text="As on the <b>contract</b>.")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    agree = forms.BooleanField(label="I agree")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B <b>")])
    upload = forms.FileField(label="File", required=False)


def both(form, name: str) -> tuple[str, str]:
    field = form[name]
    included = Template("{% include 'includes/field.html' %}").render(Context({"field": field}))
    written = Template("{% load form_fields %}{% form_field field %}").render(
        Context({"field": field})
    )
    return written, included


@pytest.mark.parametrize("name", ["name", "notes", "agree", "kind", "upload"])
@pytest.mark.parametrize("bound", [False, True])
def test_each_kind_of_field_is_written_as_the_include_writes_it(name, bound):
    form = Sample({"name": "", "kind": "z", "notes": "<x>"} if bound else None)
    if bound:
        form.is_valid()
        form.add_error("notes", "Not <this>.")

    written, included = both(form, name)

    assert written == included
    if bound and name in ("name", "agree", "kind", "notes"):
        assert "field-invalid" in written


def test_the_reply_form_is_written_as_the_include_writes_it_in_greek(owner):
    with translation.override("el"):
        form = CustomerReplyForm(owner=owner)
        for name in ("body", "attachments"):
            written, included = both(form, name)
            assert written == included
