"""A request's status and priority as badges, and the rows of the customer's list: written
in Python rather than included templates, since the list shows two badges and a date in
each of its 25 rows."""

from collections.abc import Iterable
from html import escape as escape_text

from django import template
from django.utils import dateformat, formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

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


# One row of "My requests", as the template's loop wrote it.
_CUSTOMER_ROW = (
    "      <tr>\n"
    '        <td><a href="{url}">{reference}</a></td>\n'
    '        <td>{subject}<div class="muted">{category}</div></td>\n'
    '        <td><span class="badge status-{status}">{status_label}</span></td>\n'
    '        <td><span class="badge priority-{priority}">{priority_label}</span></td>\n'
    "        <td>{requester}</td>\n"
    '        <td><time datetime="{iso}">{updated}</time></td>\n'
    "      </tr>\n"
)


def _date_formatter(format_string: str):
    """dateformat.format(value, format_string) with the format read once: Django splits
    and unescapes the format at every call (a date in each row)."""
    pieces = []
    for index, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if index % 2:
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, dateformat.re_escaped.sub(r"\1", piece)))

    def format_date(value) -> str:
        formatter = dateformat.DateFormat(value)
        return "".join(
            str(getattr(formatter, piece)()) if is_code else piece for is_code, piece in pieces
        )

    return format_date


@register.simple_tag
def customer_ticket_rows(tickets: Iterable[Ticket]) -> str:
    """The rows of the customer's list (tickets with `detail_url`, as the view gives them):
    the HTML of the template's loop with {% status_badge %}, {% priority_badge %} and
    {% time_element %}, written with the labels and the date format read once a page
    rather than once a row (a test compares the two)."""
    # The standard library's escape on text is what django.utils.html.escape does, less
    # its check for lazy strings and the SafeString it makes (nine cells a row).
    status_labels: dict[str, str] = {}
    priority_labels: dict[int, str] = {}
    category_labels: dict[str, str] = {}
    format_date = _date_formatter(str(formats.get_format("SHORT_DATETIME_FORMAT")))
    rows = []
    for ticket in tickets:
        if ticket.status not in status_labels:
            status_labels[ticket.status] = escape_text(
                str(STATUS_LABELS.get(ticket.status, ticket.status))
            )
        if ticket.priority not in priority_labels:
            priority_labels[ticket.priority] = escape_text(
                str(PRIORITY_LABELS.get(ticket.priority, ticket.priority))
            )
        category = ticket.category
        if category.name not in category_labels:
            category_labels[category.name] = escape_text(str(category))
        updated = template_localtime(ticket.updated_at)
        rows.append(
            _CUSTOMER_ROW.format(
                url=escape_text(ticket.detail_url),
                reference=escape_text(ticket.reference),
                subject=escape_text(ticket.subject),
                category=category_labels[category.name],
                status=escape_text(ticket.status),
                status_label=status_labels[ticket.status],
                priority=ticket.priority,
                priority_label=priority_labels[ticket.priority],
                requester=escape_text(ticket.requester.get_full_name()),
                iso=updated.isoformat(),
                updated=escape_text(format_date(updated)),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)
