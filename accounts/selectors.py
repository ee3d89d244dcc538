from django.db.models import QuerySet

from accounts.models import Customer, User


def customer_people(customer: Customer) -> QuerySet[User]:
    """The logins of a customer that can still be used or are awaiting their first login,
    owners first."""
    return (
        User.objects.filter(customer=customer).exclude(role="").order_by("-role", "full_name", "pk")
    )
