from django import template

from supportpin.selectors import pin_bar_for

register = template.Library()


@register.inclusion_tag("supportpin/bar.html", takes_context=True)
def support_pin_bar(context) -> dict:
    """The bar at the bottom of every page of a logged-in customer with an active PIN."""
    request = context.get("request")
    user = getattr(request, "user", None)
    display = pin_bar_for(user) if user is not None and user.is_authenticated else None
    return {
        "request": request,
        "display": display,
        "minutes_left": (display.seconds_left + 59) // 60 if display else 0,
    }
