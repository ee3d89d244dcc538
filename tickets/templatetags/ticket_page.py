"""The agent's ticket page, written in Python where Django's templates take the time: the
ticket form's fieldsets (admin/includes/fieldset.html and a label template per field) and
the reply form's rows. Tests compare each with the templates' HTML."""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tickets.forms import _html_attrs

register = template.Library()


def label_tag(
    bound: forms.BoundField, contents=None, attrs: dict | None = None, label_suffix=None
) -> str:
    """BoundField.label_tag() as django/forms/label.html writes it."""
    contents = contents or bound.label
    if label_suffix is None:
        label_suffix = (
            bound.field.label_suffix
            if bound.field.label_suffix is not None
            else bound.form.label_suffix
        )
    # As Django: no suffix after a label ending in (translated) punctuation.
    if label_suffix and contents and contents[-1] not in gettext(":?.!"):
        contents = format_html("{}{}", contents, label_suffix)
    widget = bound.field.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if not id_:
        return conditional_escape(contents)
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs = {**(attrs or {}), "for": id_for_label}
    if bound.field.required and hasattr(bound.form, "required_css_class"):
        attrs = attrs or {}
        if "class" in attrs:
            attrs["class"] += " " + bound.form.required_css_class
        else:
            attrs["class"] = bound.form.required_css_class
    # The attributes and the contents are escaped (conditional_escape keeps safe ones).
    return mark_safe(f"<label{_html_attrs(attrs or {})}>{conditional_escape(contents)}</label>")  # noqa: S308


def _admin_label_tag(field) -> str:
    """helpers.AdminField.label_tag(), with the label written here."""
    classes = []
    if field.is_checkbox:
        classes.append("vCheckboxLabel")
    if field.field.field.required:
        classes.append("required")
    if not field.is_first:
        classes.append("inline")
    return label_tag(
        field.field,
        contents=mark_safe(conditional_escape(field.field.label)),  # noqa: S308 - escaped
        attrs={"class": " ".join(classes)} if classes else {},
        label_suffix="" if field.is_checkbox else None,
    )


def _plain(fieldset) -> bool:
    """A fieldset this tag writes: no heading or description, one editable field a line
    (the ticket's form); any other the admin's template writes."""
    return not (fieldset.name or fieldset.description or fieldset.is_collapsible) and all(
        len(line.fields) == 1 and not any(field.is_readonly for field in line) for line in fieldset
    )


@register.simple_tag
def ticket_fieldsets(adminform) -> str:
    """What change_form.html's field_sets block writes: each fieldset as
    admin/includes/fieldset.html (heading level 2)."""
    parts = []
    for index, fieldset in enumerate(adminform):
        if not _plain(fieldset):
            parts.append(
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
            )
            continue
        parts.append(f'<fieldset class="module aligned {conditional_escape(fieldset.classes)}">')
        for line in fieldset:
            (field,) = line
            bound = field.field
            name = bound.name
            errors = line.errors() if bound.errors else ""
            css = "form-row"
            if errors:
                css += " errors"
            if not line.has_visible_field:
                css += " hidden"
            if name:
                css += f" field-{conditional_escape(name)}"
            inner = "flex-container checkbox-row" if field.is_checkbox else "flex-container"
            if field.is_checkbox:
                shown = f"{bound}{_admin_label_tag(field)}"
            else:
                shown = f"{_admin_label_tag(field)} {bound}"
            parts.append(f'<div class="{css}">{errors}<div><div class="{inner}">{shown}</div>')
            help_text = bound.help_text
            if help_text:
                hidden = " hidden" if bound.is_hidden else ""
                id_for_label = bound.id_for_label
                help_id = (
                    f' id="{conditional_escape(id_for_label)}_helptext"' if id_for_label else ""
                )
                parts.append(f'<div class="help{hidden}"{help_id}><div>{help_text}</div></div>')
            parts.append("</div></div>")
        parts.append("</fieldset>")
    # Labels, widgets and errors come escaped from Django; names and ids are escaped here;
    # the help text is shown as the admin shows it (|safe).
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def reply_form_rows(form) -> str:
    """The reply form's visible fields as change_form.html wrote them: a row each, the
    checkbox before its label, the attachments as tickets/includes/attachments_field.html."""
    parts = []
    for field in form.visible_fields():
        if field.name == "attachments":
            attachments = render_to_string(
                "tickets/includes/attachments_field.html", {"form": form}
            )
            parts.append(f'<div class="form-row">{attachments}</div>')
            continue
        errors = field.errors
        parts.append(
            f'<div class="form-row errors">{errors}' if errors else '<div class="form-row">'
        )
        if getattr(field.field.widget, "input_type", None) == "checkbox":
            parts.append(f"{field} {label_tag(field)}</div>")
        else:
            parts.append(f"{label_tag(field)} {field}</div>")
    # Errors, labels and widgets come escaped from Django and label_tag().
    return mark_safe("".join(parts))  # noqa: S308
