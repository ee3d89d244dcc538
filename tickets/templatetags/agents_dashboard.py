from django import template
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from tickets.admin import dashboard_context

register = template.Library()


@register.inclusion_tag("admin/tickets/includes/dashboard_body.html", takes_context=True)
def agents_dashboard(context) -> dict:
    """The agents' dashboard on the admin's home page, first thing a staff login sees
    (the admin's own index reads its recent actions with a tag, {% get_admin_log %})."""
    return dashboard_context(agent=context["request"].user)


# The dashboard draws about 1,200 bars in 19 charts; written by the template language, one
# variable at a time, they were half of the dashboard's time. These two tags write the bars
# and the rows of the charts' tables as the template did.


@register.simple_tag
def chart_bars(chart: dict) -> str:
    """The bars of one chart's SVG (numbers not localised, as in {% localize off %})."""
    height = chart["height"]
    none = escape(pgettext("chart value", "none"))
    parts = []
    for bar in chart["bars"]:
        label = escape(bar.label)
        if bar.value is None:
            parts.append(
                f'<rect class="chart-bar chart-bar-none" x="{bar.x}" y="{bar.y}" '
                f'width="{bar.width}" height="0" data-label="{label}" data-value="">'
                f"<title>{label}: {none}</title></rect>\n"
                f'      <text class="chart-none" x="{bar.x}" y="{height - 3}" font-size="11" '
                'fill="currentColor">–</text>'
            )
        else:
            parts.append(
                f'<rect class="chart-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
                f'height="{bar.height}" data-label="{label}" data-value="{bar.value}">'
                f"<title>{label}: {bar.value}</title></rect>"
            )
        if bar.show_label:
            parts.append(
                f'<text x="{bar.x}" y="{height + 16}" font-size="11" '
                f'fill="currentColor">{label}</text>'
            )
    # Every label and word is escaped above; the rest are numbers.
    return mark_safe("\n      ".join(parts))  # noqa: S308


@register.simple_tag
def chart_table_rows(chart: dict) -> str:
    """The rows of the table under one chart (its values localised, as a page's numbers)."""
    none = escape(pgettext("chart value", "none"))
    rows = []
    for bar in chart["bars"]:
        label = escape(bar.label)
        if bar.value is None:
            raw, shown = "", f'–<span class="visually-hidden"> {none}</span>'
        else:
            raw, shown = bar.value, escape(formats.localize(bar.value))
        rows.append(
            f'<tr data-label="{label}" data-value="{raw}"><th scope="row">{label}</th>'
            f"<td>{shown}</td></tr>"
        )
    # Every label and word is escaped above; the rest are numbers.
    return mark_safe("".join(rows))  # noqa: S308
