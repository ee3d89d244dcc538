"""The categories of seed 004 and the default SLA policies (README: "SLA defaults").

A new database gets them from migration 0002, which keeps its own frozen copy; the demo
data and the tests install them from here after a flush. A change here needs a data
migration too (tests/tickets/test_defaults.py compares the two).
"""

from django.utils.translation import gettext_noop

CATEGORIES = [
    gettext_noop("Question"),
    gettext_noop("Bug"),
    gettext_noop("Error"),
    gettext_noop("Suggestion"),
    gettext_noop("Billing"),
    gettext_noop("Domains and DNS"),
    gettext_noop("Hosting"),
    gettext_noop("Email"),
]

# Response targets in hours per priority (1 Low ... 5 Critical): (basic, premium, business).
# Low and Normal get the plans' promise for requests, Critical the promise for critical
# incidents (seed 004); High and Urgent sit in between. Critical runs around the clock, the
# rest in business hours.
RESPONSE_HOURS = {
    1: (48, 24, 12),
    2: (48, 24, 12),
    3: (32, 16, 8),
    4: (16, 8, 4),
    5: (24, 4, 1),
}
PLANS = ("basic", "premium", "business")
CRITICAL = 5
# Requests that come by email (seed 004): the plan's email promise, in business hours, for
# every priority but Critical, which keeps the critical-incident promise around the clock.
EMAIL_RESPONSE_HOURS = (24, 8, 4)


def install_defaults(category_model, policy_model) -> None:
    """Create what is missing; leave what a supervisor changed."""
    for position, name in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(name=name, defaults={"position": position})
    for priority, hours in RESPONSE_HOURS.items():
        for plan, target in zip(PLANS, hours, strict=True):
            policy_model.objects.get_or_create(
                plan=plan,
                priority=priority,
                channel="portal",
                defaults={
                    "response_hours": target,
                    "calendar": "always" if priority == CRITICAL else "business",
                },
            )
            policy_model.objects.get_or_create(
                plan=plan,
                priority=priority,
                channel="email",
                defaults={
                    "response_hours": target
                    if priority == CRITICAL
                    else EMAIL_RESPONSE_HOURS[PLANS.index(plan)],
                    "calendar": "always" if priority == CRITICAL else "business",
                },
            )
