"""A request's status and priority as badges: written in Python rather than included
templates, since the customer's list shows two for each of its 25 rows."""

from django import template
from django.utils.html import format_html

from tickets.models import Priority, Ticket

register = template.Library()

# get_FOO_display() rebuilds its choices at every call; these labels stay lazy, so each
# badge reads in the page's language.
STATUS_LABELS = dict(Ticket.Status.choices)
PRIORITY_LABELS = dict(Priority.choices)


@register.simple_tag
def status_badge(ticket: Ticket) -> str:
    return format_html(
        '<span class="badge status-{}">{}</span>',
        ticket.status,
        STATUS_LABELS.get(ticket.status, ticket.status),
    )


@register.simple_tag
def priority_badge(ticket: Ticket) -> str:
    return format_html(
        '<span class="badge priority-{}">{}</span>',
        ticket.priority,
        PRIORITY_LABELS.get(ticket.priority, ticket.priority),
    )
