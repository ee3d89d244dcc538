from django import template

from accounts.models import User

register = template.Library()


@register.filter
def holds(user: User, permission: str) -> bool:
    """`{% if user|holds:"can_view_invoices" %}`: whether the login holds that permission
    of its customer (User.has_customer_permission)."""
    return user.is_authenticated and user.has_customer_permission(permission)
