from django import template
from django.utils.safestring import SafeString, mark_safe

from helpcentre.markup import render_markdown

register = template.Library()


@register.filter
def markdown(body: str) -> SafeString:
    """An article body as HTML, sanitised by helpcentre.markup."""
    return mark_safe(render_markdown(body))  # noqa: S308 - sanitised by nh3
