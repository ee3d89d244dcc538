from django import template

from accounts.models import User
from tickets import selectors
from tickets.models import Ticket

register = template.Library()


@register.simple_tag
def open_requests_for(user: User, limit: int = 5) -> list[Ticket]:
    """The latest open requests the login can see, for the dashboard card."""
    return selectors.customer_open_tickets(user=user, limit=limit)
