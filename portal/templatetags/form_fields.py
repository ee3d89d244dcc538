"""{% form_field field %}: the HTML of includes/field.html for one form field, written in
Python.

The include spends most of its time resolving its seventeen variables: each lookup on a
bound field tries it as an index first (BoundField.__getitem__, which fails), then as an
attribute; with the {% with %} and {% include %} around it, a field took some tenths of a
millisecond, and the request page has two. The output is the include's, character for
character (a test compares the two for text, checkbox, file and invalid fields).
"""

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_REQUIRED = ' <span class="required" aria-hidden="true">*</span>'


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    id_ = escape(field.auto_id)
    errors = field.errors
    checkbox = getattr(field.field.widget, "input_type", None) == "checkbox"
    label = conditional_escape(field.label)
    if checkbox:
        branch = f'\n    {field}\n    <label for="{id_}">{label}</label>\n  '
    else:
        required = (
            ' <span class="required" aria-hidden="true">*</span>' if field.field.required else ""
        )
        branch = f'\n    <label for="{id_}">{label}{required}</label>\n    {field}\n  '
    help_text = field.help_text
    help_html = f'<div class="help" id="{id_}_helptext">{help_text}</div>' if help_text else ""
    if errors:
        items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
        errors_html = f'\n    <ul class="errorlist" id="{id_}_error">{items}</ul>\n  '
    else:
        errors_html = ""
    css = "field" + (" field-invalid" if errors else "") + (" field-checkbox" if checkbox else "")
    return mark_safe(  # noqa: S308 (each value escaped above, as the include escapes it)
        f'\n<div class="{css}">\n  {branch}\n  {help_html}\n  {errors_html}\n</div>\n\n'
    )
