from django import template

from tickets.admin import dashboard_context

register = template.Library()


@register.inclusion_tag("admin/tickets/includes/dashboard_body.html", takes_context=True)
def agents_dashboard(context) -> dict:
    """The agents' dashboard on the admin's home page, first thing a staff login sees
    (the admin's own index reads its recent actions with a tag, {% get_admin_log %})."""
    return dashboard_context(agent=context["request"].user)
